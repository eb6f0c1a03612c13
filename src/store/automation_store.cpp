#include "store/automation_store.hpp"

#include "store/column_table.hpp"

namespace gongdan::store {
namespace {

const ColumnTable kNotifications(
    "notifications", column("id", &Notification::id), column("user_id", &Notification::user_id),
    column("ticket_id", &Notification::ticket_id),
    column("ticket_number", &Notification::ticket_number), column("kind", &Notification::kind),
    column("title", &Notification::title), column("body", &Notification::body),
    column("read_at", &Notification::read_at), column("created_at", &Notification::created_at));

// Read by ticket_id, which the row leaves out.
const ColumnTable kStatusSince("ticket_status_since", column("status_id", &StatusSince::status_id),
                               column("since", &StatusSince::since));

}  // namespace

Result<std::int64_t> insert_notification(Connection& c, const Notification& r) {
  return kNotifications.insert(c, r, "notification");
}

Result<std::optional<Notification>> find_notification(Connection& c, std::int64_t id) {
  return kNotifications.find(c, id);
}

Result<std::vector<Notification>> list_notifications(Connection& c, std::int64_t user_id,
                                                     bool unread_only, std::int64_t before_id,
                                                     int limit) {
  GONGDAN_ASSIGN(auto q,
                 query(c, kNotifications.select(std::string("WHERE user_id = ? AND id < ?") +
                                                (unread_only ? " AND read_at IS NULL" : "") +
                                                " ORDER BY id DESC LIMIT ?")));
  q.bind(user_id, before_id > 0 ? before_id : INT64_MAX, limit);
  return read_rows(q, kNotifications);
}

Result<std::int64_t> mark_notifications_read(Connection& c, std::int64_t user_id,
                                             const std::vector<std::int64_t>& ids, Millis now) {
  if (ids.empty()) {
    GONGDAN_ASSIGN(auto q, query(c,
                                 "UPDATE notifications SET read_at = ? WHERE user_id = ? AND "
                                 "read_at IS NULL"));
    GONGDAN_TRY(q.bind(now, user_id).run());
    return c.changes();
  }
  std::int64_t n = 0;
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? "
                               "AND read_at IS NULL"));
  for (auto id : ids) {
    GONGDAN_TRY(q.bind(now, id, user_id).run());
    n += c.changes();
  }
  return n;
}

Result<std::int64_t> count_unread_notifications(Connection& c, std::int64_t user_id) {
  return select_count(c, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL",
                      user_id);
}

Result<std::optional<StatusSince>> find_status_since(Connection& c, std::int64_t ticket_id) {
  static const std::string sql = kStatusSince.select("WHERE ticket_id = ?");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(ticket_id), kStatusSince);
}

Result<void> save_status_since(Connection& c, std::int64_t ticket_id, const StatusSince& s) {
  return run(
      c,
      "INSERT INTO ticket_status_since (ticket_id, status_id, since) VALUES (?, ?, ?) ON CONFLICT "
      "(ticket_id) DO UPDATE SET status_id = excluded.status_id, since = excluded.since",
      ticket_id, s.status_id, s.since);
}

Result<std::vector<std::int64_t>> ticket_ids_after(Connection& c, std::int64_t after_id,
                                                   int limit) {
  return select_ids(c,
                    "SELECT id FROM tickets WHERE id > ? AND category <> 'closed' AND merged_into "
                    "IS NULL ORDER BY id LIMIT ?",
                    after_id, limit);
}

Result<bool> mark_automation_fired(Connection& c, std::string_view key, Millis at) {
  return run_changed(
      c, "INSERT INTO automation_fired (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", key,
      at);
}

Result<std::int64_t> prune_finished_jobs(Connection& c, Millis before, int limit) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state = "
                               "'done' AND run_at < ? AND updated_at < ? LIMIT ?)"));
  GONGDAN_TRY(q.bind(before, before, limit).run());
  return c.changes();
}

}  // namespace gongdan::store
