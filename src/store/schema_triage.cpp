#include "store/schema.hpp"

namespace gongdan::store {

// Issue 22's triage. triage_settings holds one row per ticket field the models predict (the
// admin changes them, never adds or removes one). triage_models keeps each trained model with
// its held-out evaluation; the model's bytes are in the database so that every node sharing it
// can load the newest model (each writes a copy into its own data directory).
std::string_view triage_schema_sql() {
  return R"sql(
CREATE TABLE triage_settings (
  id {{id}},
  field TEXT NOT NULL UNIQUE,
  mode TEXT NOT NULL DEFAULT 'off',
  threshold INTEGER NOT NULL DEFAULT 90,
  retrain_days INTEGER NOT NULL DEFAULT 7,
  updated_at INTEGER NOT NULL DEFAULT 0
);
INSERT INTO triage_settings (field) VALUES ('department');
INSERT INTO triage_settings (field) VALUES ('type');
INSERT INTO triage_settings (field) VALUES ('priority');
INSERT INTO triage_settings (field) VALUES ('tags');

CREATE TABLE triage_models (
  id {{id}},
  field TEXT NOT NULL,
  trained_at INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  examples INTEGER NOT NULL,
  held_out INTEGER NOT NULL,
  correct INTEGER NOT NULL,
  evaluation TEXT NOT NULL,
  size INTEGER NOT NULL,
  model {{blob}} NOT NULL
);
CREATE INDEX triage_models_by_field ON triage_models (field, id);
)sql";
}

// The similar tickets' sentence vectors (issue 22): one a solved ticket, of the newest vector
// model when it was stored (training stores every solved ticket's again). stored_at lets each
// node read what the others added since it last looked. No foreign key: tickets are deleted
// by retention, which drops the row itself, and a row whose ticket is gone is never answered.
std::string_view ticket_vectors_schema_sql() {
  return R"sql(
CREATE TABLE ticket_vectors (
  ticket_id INTEGER PRIMARY KEY,
  model_id INTEGER NOT NULL,
  stored_at INTEGER NOT NULL,
  vector {{blob}} NOT NULL
);
CREATE INDEX ticket_vectors_by_time ON ticket_vectors (stored_at);
)sql";
}

}  // namespace gongdan::store
