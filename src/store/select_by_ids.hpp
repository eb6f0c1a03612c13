// Reading rows by a list of ids in few statements: on PostgreSQL each statement is a round trip,
// so a page's people or a search's candidates must not cost one each.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace gongdan::store {

// Runs `head` + " IN (?, …)" over `ids`, up to 64 a statement, and calls `row` for every row.
// The list is padded to a power of two by repeating its last id, so a handful of statement
// shapes serve every call; rows come in the database's order.
Result<void> select_by_ids(Connection& c, std::string_view head,
                           const std::vector<std::int64_t>& ids,
                           const std::function<void(const Query&)>& row);

}  // namespace gongdan::store
