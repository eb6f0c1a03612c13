#include "store/work_time_store.hpp"

#include "store/select_by_ids.hpp"

namespace gongdan::store {

Result<std::optional<Millis>> last_work_at(Connection& c, std::int64_t ticket_id,
                                           std::int64_t user_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT MAX(last_at) FROM ticket_work WHERE ticket_id = ? AND "
                               "user_id = ?"));
  GONGDAN_ASSIGN(auto row, read_first(q.bind(ticket_id, user_id),
                                      [](const Query& r) { return r.optional_integer(0); }));
  return row ? *row : std::nullopt;
}

Result<std::int64_t> last_event_id(Connection& c, std::int64_t ticket_id) {
  // Two lookups, each through its index: the events still on the ticket, and its own that a
  // merge moved elsewhere.
  return select_count(
      c,
      "SELECT COALESCE(MAX(id), 0) FROM (SELECT MAX(id) AS id FROM ticket_events WHERE "
      "ticket_id = ? AND origin_id IS NULL UNION ALL SELECT MAX(id) FROM "
      "ticket_events WHERE origin_id = ?) AS latest",
      ticket_id, ticket_id);
}

Result<void> add_work(Connection& c, std::int64_t ticket_id, std::int64_t user_id,
                      std::int64_t after_event, Millis ms, Millis at) {
  const auto hour = at >= 0 ? at / kMillisPerHour : (at - kMillisPerHour + 1) / kMillisPerHour;
  return run(c,
             "INSERT INTO ticket_work (ticket_id, user_id, hour, after_event, ms, last_at) VALUES "
             "(?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id, user_id, hour, after_event) DO UPDATE "
             "SET ms = ticket_work.ms + excluded.ms, last_at = CASE WHEN excluded.last_at > "
             "ticket_work.last_at THEN excluded.last_at ELSE ticket_work.last_at END",
             ticket_id, user_id, hour, after_event, ms, at);
}

Result<std::map<std::int64_t, Millis>> work_by_user(Connection& c, std::int64_t ticket_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT user_id, CAST(SUM(ms) AS BIGINT) FROM ticket_work WHERE "
                               "ticket_id = ? GROUP BY user_id"));
  GONGDAN_ASSIGN(auto rows, read_rows(q.bind(ticket_id), [](const Query& r) {
                   return std::pair(r.integer(0), r.integer(1));
                 }));
  return std::map<std::int64_t, Millis>(rows.begin(), rows.end());
}

Result<std::map<std::int64_t, std::vector<WorkSpan>>> work_spans(
    Connection& c, const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, std::vector<WorkSpan>> out;
  GONGDAN_TRY(select_by_id_chunks(
      c,
      "SELECT ticket_id, after_event, user_id, hour, ms FROM ticket_work WHERE ticket_id IN ({0}) "
      "AND ms <> 0 ORDER BY ticket_id, after_event, hour, user_id",
      ids, 500, [&](const Query& r) {
        out[r.integer(0)].push_back(
            WorkSpan{r.integer(1), r.integer(2), r.integer(3) * kMillisPerHour, r.integer(4)});
      }));
  return out;
}

}  // namespace gongdan::store
