#include "store/inbound_store.hpp"

#include "store/column_table.hpp"

namespace gongdan::store {
namespace {

const ColumnTable kOutboundIm(
    "outbound_im", column("id", &OutboundIm::id), column("source_id", &OutboundIm::source_id),
    column("ticket_id", &OutboundIm::ticket_id),
    column("ticket_message_id", &OutboundIm::ticket_message_id),
    column("external_id", &OutboundIm::external_id), column("body", &OutboundIm::body),
    column("status", &OutboundIm::status), column("attempts", &OutboundIm::attempts),
    column("last_error", &OutboundIm::last_error), column("created_at", &OutboundIm::created_at),
    column("sent_at", &OutboundIm::sent_at));

const ColumnTable kCallLogs(
    "call_logs", column("id", &CallLog::id), column("ticket_id", &CallLog::ticket_id),
    column("author_id", &CallLog::author_id), column("direction", &CallLog::direction),
    column("number", &CallLog::number), column("duration_seconds", &CallLog::duration_seconds),
    column("outcome", &CallLog::outcome), column("notes", &CallLog::notes),
    column("recording_url", &CallLog::recording_url), column("started_at", &CallLog::started_at),
    column("created_at", &CallLog::created_at));

}  // namespace

Result<std::optional<std::int64_t>> claim_inbound_event(Connection& c, std::int64_t source_id,
                                                        std::string_view event_id,
                                                        std::string_view external_id, Millis now) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO inbound_events (source_id, provider_event_id, "
                               "external_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT "
                               "(source_id, provider_event_id) DO NOTHING RETURNING id"));
  return read_first_id(q.bind(source_id, event_id, external_id, now));
}

Result<void> set_inbound_event_ticket(Connection& c, std::int64_t event_row, std::int64_t ticket_id,
                                      std::optional<std::int64_t> message_id) {
  return run(c, "UPDATE inbound_events SET ticket_id = ?, ticket_message_id = ? WHERE id = ?",
             ticket_id, message_id, event_row);
}

Result<void> count_inbound_message(Connection& c, std::int64_t source_id) {
  return run(c, "UPDATE inbound_sources SET received = received + 1 WHERE id = ?", source_id);
}

Result<std::string> inbound_sync_cursor(Connection& c, std::int64_t source_id) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT sync_cursor FROM inbound_sources WHERE id = ?"));
  GONGDAN_ASSIGN(auto found, read_texts(q.bind(source_id)));
  return found.empty() ? std::string() : found.front();
}

Result<void> save_inbound_sync_cursor(Connection& c, std::int64_t source_id,
                                      std::string_view cursor) {
  return run(c, "UPDATE inbound_sources SET sync_cursor = ? WHERE id = ?", cursor, source_id);
}

Result<std::optional<std::int64_t>> find_provider_identity(Connection& c, std::int64_t source_id,
                                                           std::string_view external_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT user_id FROM provider_identities WHERE source_id = ? AND "
                               "external_id = ?"));
  return read_first_id(q.bind(source_id, external_id));
}

Result<void> add_provider_identity(Connection& c, std::int64_t source_id,
                                   std::string_view external_id, std::int64_t user_id,
                                   std::string_view display_name, Millis now) {
  return run(c,
             "INSERT INTO provider_identities (source_id, external_id, user_id, display_name, "
             "created_at) VALUES (?, ?, ?, ?, ?)",
             source_id, external_id, user_id, display_name, now);
}

Result<std::optional<std::int64_t>> last_ticket_of_sender(Connection& c, std::int64_t source_id,
                                                          std::string_view external_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT ticket_id FROM inbound_events WHERE source_id = ? AND "
                               "external_id = ? AND ticket_id IS NOT NULL ORDER BY id DESC "
                               "LIMIT 1"));
  return read_first_id(q.bind(source_id, external_id));
}

Result<std::optional<std::pair<std::int64_t, std::string>>> last_sender_of_ticket(
    Connection& c, std::int64_t ticket_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT source_id, external_id FROM inbound_events WHERE "
                               "ticket_id = ? ORDER BY id DESC LIMIT 1"));
  return read_first(q.bind(ticket_id), [](const Query& r) {
    return std::pair<std::int64_t, std::string>{r.integer(0), r.text(1)};
  });
}

Result<std::int64_t> insert_outbound_im(Connection& c, const OutboundIm& row) {
  return kOutboundIm.insert(c, row, "outbound_im");
}

Result<std::optional<OutboundIm>> find_outbound_im(Connection& c, std::int64_t id) {
  return kOutboundIm.find(c, id);
}

Result<void> save_outbound_im_state(Connection& c, const OutboundIm& r) {
  return run(c,
             "UPDATE outbound_im SET status = ?, attempts = ?, last_error = ?, sent_at = ? WHERE "
             "id = ?",
             r.status, r.attempts, r.last_error, r.sent_at, r.id);
}

Result<std::map<std::int64_t, OutboundIm>> outbound_im_of_messages(
    Connection& c, const std::vector<std::int64_t>& message_ids) {
  static const std::string sql = kOutboundIm.select("WHERE ticket_message_id = ? ORDER BY id");
  std::map<std::int64_t, OutboundIm> out;
  for (auto id : message_ids) {
    GONGDAN_ASSIGN(auto q, query(c, sql));
    GONGDAN_ASSIGN(auto rows, read_rows(q.bind(id), kOutboundIm));
    if (!rows.empty()) out[id] = std::move(rows.back());
  }
  return out;
}

Result<std::int64_t> insert_call_log(Connection& c, const CallLog& call) {
  return kCallLogs.insert(c, call, "call log");
}

Result<std::vector<CallLog>> call_logs_of_ticket(Connection& c, std::int64_t ticket_id) {
  static const std::string sql = kCallLogs.select("WHERE ticket_id = ? ORDER BY id");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_rows(q.bind(ticket_id), kCallLogs);
}

Result<std::optional<std::int64_t>> find_contact_by_phone(Connection& c, std::string_view number) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT user_id FROM contact_identities WHERE kind = 'phone' AND "
                               "value_norm = ? ORDER BY id LIMIT 1"));
  return read_first_id(q.bind(number));
}

Result<std::vector<std::int64_t>> open_tickets_of(Connection& c, std::int64_t user_id, int limit) {
  return select_ids(c,
                    "SELECT id FROM tickets WHERE requester_id = ? AND merged_into IS NULL AND "
                    "category NOT IN ('solved', 'closed') ORDER BY id DESC LIMIT ?",
                    user_id, limit);
}

}  // namespace gongdan::store
