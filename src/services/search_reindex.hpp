// Builds the full-text index again from the tickets, messages, contacts and published
// knowledge-base translations themselves.
#pragma once

#include <cstdint>

#include "services/store_fwd.hpp"
#include "util/result.hpp"

namespace gongdan::services {

struct ReindexCounts {
  std::int64_t tickets = 0;
  std::int64_t messages = 0;
  std::int64_t contacts = 0;
  std::int64_t articles = 0;  // published knowledge-base translations
};

// Runs in one exclusive transaction; the index must be empty (a new database's).
Result<ReindexCounts> rebuild_search_index(store::Database& db);

}  // namespace gongdan::services
