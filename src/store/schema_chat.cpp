#include "store/schema.hpp"

namespace gongdan::store {

// Issue 20, live chat. Each department's widget (a declared resource) and the sessions opened
// through it; a session's transcript, agent and department are its ticket's.
std::string_view chat_schema_sql() {
  return R"sql(
CREATE TABLE chat_widgets (
  id {{id}},
  department_id INTEGER NOT NULL UNIQUE REFERENCES departments (id),
  enabled INTEGER NOT NULL DEFAULT 1,
  colour TEXT NOT NULL DEFAULT '#409eff',
  greeting_en TEXT NOT NULL DEFAULT '',
  greeting_zh TEXT NOT NULL DEFAULT '',
  max_chats_per_agent INTEGER NOT NULL DEFAULT 3,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE chat_sessions (
  id {{id}},
  widget_id INTEGER NOT NULL REFERENCES chat_widgets (id) ON DELETE CASCADE,
  ticket_id INTEGER NOT NULL,
  visitor_id INTEGER NOT NULL,
  state TEXT NOT NULL,
  nonce TEXT NOT NULL,
  visitor_read INTEGER NOT NULL DEFAULT 0,
  agent_read INTEGER NOT NULL DEFAULT 0,
  ip TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  ended_at INTEGER
);
CREATE INDEX chat_sessions_live ON chat_sessions (state, id);
CREATE UNIQUE INDEX chat_sessions_by_ticket ON chat_sessions (ticket_id);
)sql";
}

}  // namespace gongdan::store
