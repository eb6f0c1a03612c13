#include "store/retention_store.hpp"

#include <string>

namespace gongdan::store {
namespace {

std::string due_sql(bool with_department, bool anonymising, bool count) {
  std::string sql = count ? "SELECT COUNT(*) FROM tickets" : "SELECT id FROM tickets";
  sql += " WHERE category = 'closed' AND updated_at < ?";
  if (with_department) sql += " AND department_id = ?";
  if (anonymising) sql += " AND anonymised_at IS NULL";
  if (!count) sql += " ORDER BY id LIMIT ?";
  return sql;
}

Result<Query> due_query(Connection& c, std::optional<std::int64_t> department, std::int64_t cutoff,
                        bool anonymising, bool count) {
  GONGDAN_ASSIGN(auto q, query(c, due_sql(department.has_value(), anonymising, count)));
  q.bind(cutoff);
  if (department) q.bind_from(2, *department);
  return q;
}

Result<void> queue_blobs(Connection& c, const std::vector<std::string>& shas, std::int64_t now) {
  for (const auto& sha : shas)
    if (!sha.empty())
      GONGDAN_TRY(run(c,
                      "INSERT INTO blob_deletions (sha256, queued_at) VALUES (?, ?) "
                      "ON CONFLICT (sha256) DO NOTHING",
                      sha, now));
  return {};
}

}  // namespace

Result<std::vector<std::int64_t>> retention_due(Connection& c,
                                                std::optional<std::int64_t> department,
                                                std::int64_t cutoff, bool anonymising, int limit) {
  GONGDAN_ASSIGN(auto q, due_query(c, department, cutoff, anonymising, false));
  q.bind_from(department ? 3 : 2, limit);
  return read_ids(q);
}

Result<std::int64_t> retention_count(Connection& c, std::optional<std::int64_t> department,
                                     std::int64_t cutoff, bool anonymising) {
  GONGDAN_ASSIGN(auto q, due_query(c, department, cutoff, anonymising, true));
  return read_count(q);
}

Result<std::vector<TextRow>> ticket_messages(Connection& c, std::int64_t ticket_id,
                                             std::int64_t requester_id, bool requesters) {
  GONGDAN_ASSIGN(auto q, query(c, requesters ? "SELECT id, body, html FROM messages WHERE "
                                               "ticket_id = ? AND author_id = ? ORDER BY id"
                                             : "SELECT id, body, html FROM messages WHERE "
                                               "ticket_id = ? AND (author_id IS NULL OR "
                                               "author_id <> ?) ORDER BY id"));
  return read_rows(q.bind(ticket_id, requester_id), [](const Query& r) {
    return TextRow{r.integer(0), r.text(1), r.text(2)};
  });
}

Result<void> drop_ticket_files(Connection& c, std::int64_t ticket_id, std::int64_t requester_id,
                               bool all, std::int64_t now) {
  const char* files = all ? "SELECT a.sha256 FROM attachments a JOIN messages m ON m.id = "
                            "a.message_id WHERE m.ticket_id = ? AND ? <> 0"
                          : "SELECT a.sha256 FROM attachments a JOIN messages m ON m.id = "
                            "a.message_id WHERE m.ticket_id = ? AND m.author_id = ?";
  GONGDAN_ASSIGN(auto shas, [&]() -> Result<std::vector<std::string>> {
    GONGDAN_ASSIGN(auto q, query(c, files));
    return read_texts(q.bind(ticket_id, all ? 1 : requester_id));
  }());
  GONGDAN_ASSIGN(auto raws, [&]() -> Result<std::vector<std::string>> {
    GONGDAN_ASSIGN(auto q, query(c, "SELECT raw_sha256 FROM mail_messages WHERE ticket_id = ?"));
    return read_texts(q.bind(ticket_id));
  }());
  GONGDAN_TRY(queue_blobs(c, shas, now));
  GONGDAN_TRY(queue_blobs(c, raws, now));
  GONGDAN_TRY(run(c,
                  all ? "DELETE FROM attachments WHERE message_id IN (SELECT id FROM messages "
                        "WHERE ticket_id = ? AND ? <> 0)"
                      : "DELETE FROM attachments WHERE message_id IN (SELECT id FROM messages "
                        "WHERE ticket_id = ? AND author_id = ?)",
                  ticket_id, all ? 1 : requester_id));
  for (const char* sql : {
           "UPDATE mail_messages SET raw_sha256 = '', raw_size = 0, from_address = '', subject = "
           "'', full_text = '', quoted_text = '', quoted_html = '' WHERE ticket_id = ?",
           "UPDATE csat_requests SET comment = '' WHERE ticket_id = ?",
           "UPDATE call_logs SET number = '', recording_url = '' WHERE ticket_id = ?",
           "UPDATE chat_sessions SET ip = '' WHERE ticket_id = ?",
           "UPDATE inbound_events SET external_id = '' WHERE ticket_id = ?",
           "UPDATE outbound_im SET external_id = '', body = '' WHERE ticket_id = ?",
           "UPDATE outbound_mail SET to_address = '', to_name = '', cc_addresses = '', "
           "bcc_addresses = '', body = '', html = '' WHERE ticket_id = ? AND status <> 'queued'",
       })
    GONGDAN_TRY(run(c, sql, ticket_id));
  return {};
}

Result<void> mark_anonymised(Connection& c, std::int64_t ticket_id, std::string_view subject,
                             std::int64_t now) {
  // The similar tickets' vector was made from the subject this replaces.
  GONGDAN_TRY(run(c, "DELETE FROM ticket_vectors WHERE ticket_id = ?", ticket_id));
  return run(c, "UPDATE tickets SET anonymised_at = ?, subject = ? WHERE id = ?", now, subject,
             ticket_id);
}

Result<void> delete_ticket_rows(Connection& c, std::int64_t ticket_id) {
  for (const char* sql : {
           "DELETE FROM mail_messages WHERE ticket_id = ?",
           "DELETE FROM outbound_mail WHERE ticket_id = ?",
           "DELETE FROM outbound_im WHERE ticket_id = ?",
           "DELETE FROM inbound_events WHERE ticket_id = ?",
           "DELETE FROM call_logs WHERE ticket_id = ?",
           "DELETE FROM chat_sessions WHERE ticket_id = ?",
           "DELETE FROM csat_requests WHERE ticket_id = ?",
           "DELETE FROM ticket_work WHERE ticket_id = ?",
           "DELETE FROM ticket_sla_events WHERE ticket_id = ?",
           "DELETE FROM notifications WHERE ticket_id = ?",
           "DELETE FROM ticket_status_since WHERE ticket_id = ?",
           "DELETE FROM ticket_mail_settings WHERE ticket_id = ?",
           "DELETE FROM idempotency_keys WHERE ticket_id = ?",
           "DELETE FROM ticket_events WHERE ticket_id = ?",
           "DELETE FROM ticket_vectors WHERE ticket_id = ?",
           "DELETE FROM messages WHERE ticket_id = ?",
           "DELETE FROM tickets WHERE id = ?",
       })
    GONGDAN_TRY(run(c, sql, ticket_id));
  return {};
}

}  // namespace gongdan::store
