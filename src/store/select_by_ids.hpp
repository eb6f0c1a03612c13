// Reading rows by a list of ids in few statements: on PostgreSQL each statement is a round trip,
// so a page's people or a search's candidates must not cost one each. And the "?, ?, …" of an IN
// list, which every statement over a list writes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
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

// "?, ?, …": `n` marks (at least one) for an IN list.
std::string question_marks(std::size_t n);

// Runs `sql`, a format whose {0} stands for an IN list's "?, ?, …", for the ids in runs of at
// most `size`, binding the run once for each {0} (in order), and calls `row` for every row: for
// statements that name the list twice, or that read a long list (a report rebuild's) in fewer
// round trips than select_by_ids's 64 a statement.
Result<void> select_by_id_chunks(Connection& c, std::string_view sql,
                                 const std::vector<std::int64_t>& ids, std::size_t size,
                                 const std::function<void(const Query&)>& row);

}  // namespace gongdan::store
