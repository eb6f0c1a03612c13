#include "store/schema.hpp"

namespace gongdan::store {

// Counters (view_counts) in shards: a counter is the sum of its rows. A row lock is held until
// commit, so writers that all add to one "open tickets" row queue behind each other's batches;
// each PostgreSQL writer adds to a shard of its own (Connection::count_shard). SQLite's one
// writer keeps shard 0.
std::string_view count_shards_schema() {
  return R"sql(
CREATE TABLE view_counts_sharded (
  view_key TEXT NOT NULL,
  shard INTEGER NOT NULL DEFAULT 0,
  n INTEGER NOT NULL,
  PRIMARY KEY (view_key, shard)
);
INSERT INTO view_counts_sharded (view_key, shard, n) SELECT view_key, 0, n FROM view_counts;
DROP TABLE view_counts;
ALTER TABLE view_counts_sharded RENAME TO view_counts;
)sql";
}

}  // namespace gongdan::store
