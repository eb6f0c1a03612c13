#include "store/schema.hpp"

namespace gongdan::store {

// Issue 23's importers. import_refs ties a source's own ids (a Zendesk ticket 4711, a Freshdesk
// contact) to the rows they became, so a second run skips what the first wrote and the desk
// shows and finds a ticket by its old id. import_runs holds each source's checkpoint: the
// position in the source's ticket order up to which everything is committed, written in the
// same transaction as those tickets.
std::string_view import_schema_sql() {
  return R"sql(
CREATE TABLE import_refs (
  source TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('ticket', 'user', 'organization')),
  external_id TEXT NOT NULL,
  local_id INTEGER NOT NULL,
  PRIMARY KEY (source, kind, external_id)
);
CREATE INDEX import_refs_by_local ON import_refs (kind, local_id);
CREATE INDEX import_refs_by_external ON import_refs (kind, external_id);

CREATE TABLE import_runs (
  source TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql";
}

}  // namespace gongdan::store
