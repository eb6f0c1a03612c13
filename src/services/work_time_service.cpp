#include "services/work_time_service.hpp"

#include <algorithm>

#include "domain/report_rollup.hpp"
#include "domain/work_time.hpp"
#include "store/database.hpp"
#include "store/tickets_store.hpp"
#include "store/users_store.hpp"
#include "store/work_time_store.hpp"

namespace gongdan::services {

Result<void> WorkTimeService::staff_only(const Principal& who) {
  GONGDAN_ASSIGN(const auto viewer, directory_.viewer(who));
  if (!viewer.is_agent())
    return fail(ErrorCode::kPermissionDenied, "only staff record and read time spent");
  return {};
}

Result<WorkBeat> WorkTimeService::beat(const Principal& who, std::int64_t number,
                                       Millis claimed_ms) {
  GONGDAN_TRY(staff_only(who));
  // The claim alone first: a bad one is refused whatever the ticket.
  GONGDAN_TRY(counted_work(claimed_ms, std::nullopt, 0));
  GONGDAN_ASSIGN(const auto seen, tickets_.get(who, number));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  const auto select_fields = select_field_keys(catalog->fields);
  WorkBeat out;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    const Millis now = clock_.now_ms();
    const auto user = who.user.id;
    GONGDAN_ASSIGN(const auto previous, store::last_work_at(c, seen.id, user));
    GONGDAN_ASSIGN(out.added_ms, counted_work(claimed_ms, previous, now));
    // The ticket as this write sees it, and its last event: the rebuild replays this time
    // after that event, under the same dimensions.
    GONGDAN_ASSIGN(const auto after_event, store::last_event_id(c, seen.id));
    GONGDAN_ASSIGN(const auto ticket, store::find_ticket(c, seen.id));
    if (!ticket) return fail(ErrorCode::kNotFound, "no such ticket");
    GONGDAN_TRY(store::add_work(c, seen.id, user, after_event, out.added_ms, now));
    if (out.added_ms > 0 && rollups_kept()) {
      RollupDeltas deltas;
      rollup_handle_time(report_state_of(*ticket, select_fields), user, out.added_ms, now, deltas);
      for (const auto& [key, delta] : deltas) c.add_count(key, delta);
    }
    GONGDAN_ASSIGN(const auto by_user, store::work_by_user(c, seen.id));
    const auto it = by_user.find(user);
    out.total_ms = it == by_user.end() ? 0 : it->second;
    return {};
  }));
  return out;
}

Result<TicketWork> WorkTimeService::of_ticket(const Principal& who, std::int64_t number) {
  GONGDAN_TRY(staff_only(who));
  GONGDAN_ASSIGN(const auto ticket, tickets_.get(who, number));
  TicketWork out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(const auto by_user, store::work_by_user(c, ticket.id));
    std::vector<std::int64_t> ids;
    for (const auto& [id, ms] : by_user) ids.push_back(id);
    GONGDAN_ASSIGN(auto users, store::find_users(c, ids));
    for (auto& u : users) {
      const auto ms = by_user.at(u.id);
      if (ms == 0) continue;
      out.total_ms += ms;
      out.people.emplace_back(std::move(u), ms);
    }
    return {};
  }));
  std::sort(out.people.begin(), out.people.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first.id < b.first.id;
  });
  return out;
}

}  // namespace gongdan::services
