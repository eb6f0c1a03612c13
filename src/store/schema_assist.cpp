#include "store/schema.hpp"

namespace gongdan::store {

// Issue 22's drafts and summaries: the endpoint's settings (one row, off) and a log of every
// request made to it, with the tokens its answer said it used.
std::string_view assist_schema_sql() {
  return R"sql(
CREATE TABLE assist_settings (
  id {{id}},
  enabled INTEGER NOT NULL DEFAULT 0,
  base_url TEXT NOT NULL DEFAULT '',
  model TEXT NOT NULL DEFAULT '',
  api_key TEXT NOT NULL DEFAULT '',
  max_tokens INTEGER NOT NULL DEFAULT 512,
  timeout_seconds INTEGER NOT NULL DEFAULT 30,
  updated_at INTEGER NOT NULL DEFAULT 0
);
INSERT INTO assist_settings (enabled) VALUES (0);

CREATE TABLE assist_requests (
  id {{id}},
  at INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  ticket_number INTEGER,
  kind TEXT NOT NULL,
  model TEXT NOT NULL,
  outcome TEXT NOT NULL,
  http_status INTEGER,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  error TEXT NOT NULL
);
)sql";
}

// How many requests a node sends the endpoint at once, and how long the log keeps a request.
std::string_view assist_limits_schema_sql() {
  return R"sql(
ALTER TABLE assist_settings ADD COLUMN max_concurrent INTEGER NOT NULL DEFAULT 4;
ALTER TABLE assist_settings ADD COLUMN log_days INTEGER NOT NULL DEFAULT 180;
CREATE INDEX assist_requests_by_at ON assist_requests (at);
)sql";
}

}  // namespace gongdan::store
