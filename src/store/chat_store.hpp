// Live chat sessions beyond their tickets: the row of each session, the live chats each agent
// holds and the queue of each department (live chats whose ticket has no assignee yet).
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "domain/chat.hpp"
#include "store/database.hpp"

namespace gongdan::store {

Result<std::int64_t> insert_chat_session(Connection& c, const ChatSession& s);
Result<std::optional<ChatSession>> find_chat_session(Connection& c, std::int64_t id);
Result<std::optional<ChatSession>> find_chat_session_of_ticket(Connection& c,
                                                               std::int64_t ticket_id);
Result<void> end_chat_session(Connection& c, std::int64_t id, Millis now);
// Moves a side's read mark forward (never back).
Result<void> mark_chat_read(Connection& c, std::int64_t id, bool visitor, std::int64_t message_id);
// Live chats by agent, every department's.
Result<std::map<std::int64_t, std::int64_t>> live_chats_by_agent(Connection& c);
// A department's queue, oldest first: the sessions' ids.
Result<std::vector<std::int64_t>> queued_chats(Connection& c, std::int64_t department_id);
// Live sessions assigned to `agent_id` or waiting in any queue, oldest first.
Result<std::vector<ChatSession>> live_chats_for(Connection& c, std::int64_t agent_id);

}  // namespace gongdan::store
