// Moves a whole install from one database to another (gongdan migrate-data: SQLite to
// PostgreSQL). Every table is copied from one snapshot of the source into one transaction on
// the target, then both sides are counted and checksummed table by table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace gongdan::store {

struct TableCheck {
  std::string table;
  std::int64_t source_rows = 0;
  std::int64_t target_rows = 0;
  std::string source_checksum;
  std::string target_checksum;
  bool matches() const { return source_rows == target_rows && source_checksum == target_checksum; }
};

// The source's tables in creation order (parents before children), without the full-text
// index tables (rebuilt on the target) and the migration ledger (the target has its own).
Result<std::vector<std::string>> copyable_tables(Database& source);

// Copies every row of `tables`. The target must hold the same schema version and no tickets or
// users yet; the rows its migrations seeded are replaced by the source's. Identity counters
// continue after the copied ids.
Result<void> copy_tables(Database& source, Database& target,
                         const std::vector<std::string>& tables);

// Row count and an order-independent checksum of each table on both sides.
Result<std::vector<TableCheck>> compare_tables(Database& source, Database& target,
                                               const std::vector<std::string>& tables);

}  // namespace gongdan::store
