#include "store/schema.hpp"

namespace gongdan::store {

// Customer satisfaction (domain/csat.hpp): the surveys admins declare (a department's, or one
// for every department), and one request per ticket and solve, which the mailed link's token
// names; the rating lands on that row, once.
std::string_view csat_schema_sql() {
  return R"sql(
CREATE TABLE csat_surveys (
  id {{id}},
  name TEXT NOT NULL,
  department_id INTEGER REFERENCES departments (id) ON DELETE CASCADE,
  scale TEXT NOT NULL DEFAULT 'good_bad',
  delay_minutes INTEGER NOT NULL DEFAULT 60,
  channels TEXT NOT NULL DEFAULT '',
  question_en TEXT NOT NULL DEFAULT '',
  question_zh TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE csat_requests (
  id {{id}},
  ticket_id INTEGER NOT NULL REFERENCES tickets (id),
  solved_at INTEGER NOT NULL,
  scale TEXT NOT NULL,
  question TEXT NOT NULL,
  language TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  rating TEXT,
  comment TEXT NOT NULL DEFAULT '',
  rated_at INTEGER,
  UNIQUE (ticket_id, solved_at)
);
)sql";
}

}  // namespace gongdan::store
