#include "domain/narrowed_filter.hpp"

#include <algorithm>

namespace gongdan {
namespace {

// "Any of" lists: an empty one allows everything, so the result is the other list, or the
// values in both; none in both means nothing matches.
template <class T>
bool narrow_list(std::vector<T>& into, const std::vector<T>& more) {
  if (more.empty()) return true;
  if (into.empty()) {
    into = more;
    return true;
  }
  std::vector<T> both;
  for (const auto& v : into)
    if (std::find(more.begin(), more.end(), v) != more.end()) both.push_back(v);
  into = std::move(both);
  return !into.empty();
}

template <class T>
bool narrow_value(std::optional<T>& into, const std::optional<T>& more) {
  if (!more) return true;
  if (into && *into != *more) return false;
  into = more;
  return true;
}

void narrow_from(std::optional<Millis>& into, const std::optional<Millis>& more) {
  if (more && (!into || *more > *into)) into = more;
}

void narrow_to(std::optional<Millis>& into, const std::optional<Millis>& more) {
  if (more && (!into || *more < *into)) into = more;
}

}  // namespace

std::optional<TicketFilter> narrowed(const TicketFilter& view, const TicketFilter& more) {
  TicketFilter f = view;
  const bool possible =
      narrow_list(f.status_ids, more.status_ids) && narrow_list(f.categories, more.categories) &&
      narrow_list(f.departments, more.departments) && narrow_list(f.assignees, more.assignees) &&
      narrow_list(f.priorities, more.priorities) && narrow_list(f.types, more.types) &&
      narrow_list(f.sla_states, more.sla_states) &&
      narrow_value(f.requester_id, more.requester_id) &&
      narrow_value(f.organization_id, more.organization_id) && narrow_value(f.tag, more.tag) &&
      narrow_value(f.channel, more.channel);
  if (!possible) return std::nullopt;
  // Custom field values: all of the view's and all of the request's.
  for (const auto& m : more.custom_fields)
    if (std::find(f.custom_fields.begin(), f.custom_fields.end(), m) == f.custom_fields.end())
      f.custom_fields.push_back(m);
  f.sla_now = std::max(f.sla_now, more.sla_now);
  narrow_from(f.created_from, more.created_from);
  narrow_to(f.created_to, more.created_to);
  narrow_from(f.updated_from, more.updated_from);
  narrow_to(f.updated_to, more.updated_to);
  return f;
}

}  // namespace gongdan
