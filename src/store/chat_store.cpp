#include "store/chat_store.hpp"

#include "store/column_table.hpp"

namespace gongdan::store {
namespace {

const ColumnTable kChatSessions(
    "chat_sessions", column("id", &ChatSession::id), column("widget_id", &ChatSession::widget_id),
    column("ticket_id", &ChatSession::ticket_id), column("visitor_id", &ChatSession::visitor_id),
    column("state", &ChatSession::state), column("nonce", &ChatSession::nonce),
    column("visitor_read", &ChatSession::visitor_read),
    column("agent_read", &ChatSession::agent_read), column("ip", &ChatSession::ip),
    column("created_at", &ChatSession::created_at), column("ended_at", &ChatSession::ended_at));

}  // namespace

Result<std::int64_t> insert_chat_session(Connection& c, const ChatSession& s) {
  return kChatSessions.insert(c, s, "chat session");
}

Result<std::optional<ChatSession>> find_chat_session(Connection& c, std::int64_t id) {
  return kChatSessions.find(c, id);
}

Result<std::optional<ChatSession>> find_chat_session_of_ticket(Connection& c,
                                                               std::int64_t ticket_id) {
  static const std::string sql = kChatSessions.select("WHERE ticket_id = ?");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(ticket_id), kChatSessions);
}

Result<void> end_chat_session(Connection& c, std::int64_t id, Millis now) {
  return run(c, "UPDATE chat_sessions SET state = 'ended', ended_at = ? WHERE id = ?", now, id);
}

Result<void> mark_chat_read(Connection& c, std::int64_t id, bool visitor, std::int64_t message_id) {
  return run(c,
             visitor ? "UPDATE chat_sessions SET visitor_read = ? WHERE id = ? AND visitor_read < ?"
                     : "UPDATE chat_sessions SET agent_read = ? WHERE id = ? AND agent_read < ?",
             message_id, id, message_id);
}

Result<std::map<std::int64_t, std::int64_t>> live_chats_by_agent(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT t.assignee_id, COUNT(*) FROM chat_sessions s JOIN tickets "
                               "t ON t.id = s.ticket_id WHERE s.state = 'live' AND t.assignee_id "
                               "IS NOT NULL GROUP BY t.assignee_id"));
  GONGDAN_ASSIGN(auto rows, read_rows(q, [](const Query& r) {
                   return std::pair{r.integer(0), r.integer(1)};
                 }));
  return std::map<std::int64_t, std::int64_t>(rows.begin(), rows.end());
}

Result<std::vector<std::int64_t>> queued_chats(Connection& c, std::int64_t department_id) {
  return select_ids(c,
                    "SELECT s.id FROM chat_sessions s JOIN tickets t ON t.id = s.ticket_id WHERE "
                    "s.state = 'live' AND t.assignee_id IS NULL AND t.department_id = ? ORDER BY "
                    "s.id",
                    department_id);
}

Result<std::vector<ChatSession>> live_chats_for(Connection& c, std::int64_t agent_id) {
  static const std::string sql = kChatSessions.select(
      "WHERE state = 'live' AND ticket_id IN (SELECT id FROM tickets WHERE assignee_id = ? OR "
      "assignee_id IS NULL) ORDER BY id");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_rows(q.bind(agent_id), kChatSessions);
}

}  // namespace gongdan::store
