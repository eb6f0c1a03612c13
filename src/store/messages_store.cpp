#include "store/messages_store.hpp"

#include <memory>
#include <utility>

#include "store/column_table.hpp"
#include "store/select_by_ids.hpp"

namespace gongdan::store {
namespace {

const ColumnTable kMessages("messages", column("id", &Message::id),
                            column("ticket_id", &Message::ticket_id),
                            column("author_id", &Message::author_id),
                            column("internal", &Message::internal), column("body", &Message::body),
                            column("html", &Message::html), column("channel", &Message::channel),
                            column("created_at", &Message::created_at));

const ColumnTable kEvents("ticket_events", column("id", &TicketEvent::id),
                          column("ticket_id", &TicketEvent::ticket_id),
                          column("at", &TicketEvent::at),
                          column("actor_id", &TicketEvent::actor_id),
                          column("via", &TicketEvent::via), column("field", &TicketEvent::field),
                          column("old_value", &TicketEvent::old_value),
                          column("new_value", &TicketEvent::new_value));

}  // namespace

Result<std::int64_t> insert_message(Connection& c, const Message& m) {
  return kMessages.insert(c, m, "message");
}

Result<std::vector<Message>> list_messages(Connection& c, std::int64_t ticket_id,
                                           bool include_internal, std::int64_t after_id,
                                           int limit) {
  static const std::string all =
      kMessages.select("WHERE ticket_id = ? AND id > ? ORDER BY id LIMIT ?");
  static const std::string public_only =
      kMessages.select("WHERE ticket_id = ? AND id > ? AND internal = 0 ORDER BY id LIMIT ?");
  GONGDAN_ASSIGN(auto q, query(c, include_internal ? all : public_only));
  return read_rows(q.bind(ticket_id, after_id, limit), kMessages);
}

Result<std::optional<Message>> find_message(Connection& c, std::int64_t id) {
  return kMessages.find(c, id);
}

Result<std::optional<Message>> last_agent_reply(Connection& c, std::int64_t ticket_id) {
  static const std::string sql = kMessages.select(
      "WHERE ticket_id = ? AND internal = 0 AND EXISTS (SELECT 1 FROM users u WHERE "
      "u.id = messages.author_id AND u.role <> 'customer') ORDER BY id DESC LIMIT 1");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  GONGDAN_ASSIGN(auto rows, read_rows(q.bind(ticket_id), kMessages));
  if (rows.empty()) return std::optional<Message>{};
  return std::optional<Message>(std::move(rows.front()));
}

Result<void> move_messages(Connection& c, std::int64_t from_ticket, std::int64_t to_ticket) {
  return run(c, "UPDATE messages SET ticket_id = ? WHERE ticket_id = ?", to_ticket, from_ticket);
}

Result<void> move_message(Connection& c, std::int64_t message_id, std::int64_t to_ticket) {
  return run(c, "UPDATE messages SET ticket_id = ? WHERE id = ?", to_ticket, message_id);
}

namespace {

Result<void> insert_events_now(Connection& c, const std::vector<TicketEvent>& events) {
  static const MultiRowInsert<8> kInsert(
      "INSERT INTO ticket_events (ticket_id, at, actor_id, via, field, old_value, new_value)", 7);
  return kInsert.run(c, events.size(), [&](Query& q, int first, std::size_t i) {
    const auto& e = events[i];
    q.bind_from(first, e.ticket_id, e.at, e.actor_id, e.via, e.field, e.old_value, e.new_value);
  });
}

// The history rows of the write this thread is running, stored together when it ends. The
// write's end-of-write work owns them: if the write fails, they go with it.
thread_local std::weak_ptr<std::vector<TicketEvent>> t_pending_events;

// Stores what is pending now, for a statement that reads or moves history.
Result<void> flush_events(Connection& c) {
  auto pending = t_pending_events.lock();
  if (!pending || pending->empty()) return {};
  auto rows = std::exchange(*pending, {});
  return insert_events_now(c, rows);
}

}  // namespace

Result<void> insert_event(Connection& c, const TicketEvent& e) {
  if (!c.deferring()) return insert_events_now(c, {e});
  auto pending = t_pending_events.lock();
  if (!pending) {
    pending = std::make_shared<std::vector<TicketEvent>>();
    t_pending_events = pending;
    GONGDAN_TRY(c.at_write_end([pending](Connection& conn) {
      return insert_events_now(conn, std::exchange(*pending, {}));
    }));
  }
  pending->push_back(e);
  return {};
}

TicketEvent read_event(const Query& q) { return kEvents.read(q); }

Result<std::vector<TicketEvent>> list_events(Connection& c, std::int64_t ticket_id,
                                             std::int64_t after_id, int limit,
                                             bool include_internal,
                                             std::span<const std::string_view> only_fields) {
  GONGDAN_TRY(flush_events(c));
  std::string sql =
      kEvents.select("WHERE ticket_id = ? AND id > ? AND (? <> 0 OR field <> 'internal_note')");
  if (!only_fields.empty()) sql += " AND field IN (" + question_marks(only_fields.size()) + ")";
  sql += " ORDER BY id LIMIT ?";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  q.bind(ticket_id, after_id, include_internal);
  int next = 4;
  for (auto field : only_fields) q.bind_from(next++, field);
  q.bind_from(next, limit);
  return read_rows(q, kEvents);
}

Result<void> move_events(Connection& c, std::int64_t from_ticket, std::int64_t to_ticket) {
  GONGDAN_TRY(flush_events(c));
  // origin_id remembers whose history it was (reports replay each ticket's own).
  return run(c,
             "UPDATE ticket_events SET origin_id = COALESCE(origin_id, ticket_id), ticket_id = ? "
             "WHERE ticket_id = ?",
             to_ticket, from_ticket);
}

}  // namespace gongdan::store
