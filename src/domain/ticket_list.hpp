// How a list of tickets is ordered and paged, and a link between two tickets as a ticket page
// shows it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/ticket.hpp"

namespace gongdan {

enum class TicketSort { kUpdatedDesc, kUpdatedAsc, kCreatedDesc, kCreatedAsc, kPriorityDesc };
// "-updated_at" (the default, also for ""), "updated_at", "-created_at", "created_at",
// "-priority"; nullopt for anything else.
std::optional<TicketSort> parse_ticket_sort(std::string_view text);
// The value of the sort's column for `t`: what a cursor carries to resume after it.
std::int64_t sort_key(const Ticket& t, TicketSort sort);

struct TicketCursor {
  std::int64_t key = 0;  // the sort column's value of the last row
  std::int64_t id = 0;
};

struct TicketLink {
  std::int64_t other_number = 0;
  std::string kind;
};

}  // namespace gongdan
