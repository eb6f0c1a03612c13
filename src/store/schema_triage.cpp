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

}  // namespace gongdan::store
