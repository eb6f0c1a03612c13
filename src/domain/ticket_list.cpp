#include "domain/ticket_list.hpp"

namespace gongdan {

std::optional<TicketSort> parse_ticket_sort(std::string_view text) {
  if (text.empty() || text == "-updated_at") return TicketSort::kUpdatedDesc;
  if (text == "updated_at") return TicketSort::kUpdatedAsc;
  if (text == "-created_at") return TicketSort::kCreatedDesc;
  if (text == "created_at") return TicketSort::kCreatedAsc;
  if (text == "-priority") return TicketSort::kPriorityDesc;
  return std::nullopt;
}

std::int64_t sort_key(const Ticket& t, TicketSort sort) {
  switch (sort) {
    case TicketSort::kUpdatedDesc:
    case TicketSort::kUpdatedAsc:
      return t.updated_at;
    case TicketSort::kCreatedDesc:
    case TicketSort::kCreatedAsc:
      return t.created_at;
    case TicketSort::kPriorityDesc:
      return static_cast<std::int64_t>(t.priority);
  }
  return t.updated_at;
}

}  // namespace gongdan
