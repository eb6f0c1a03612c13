// Reading rows by a list of ids in few statements: on PostgreSQL each statement is a round trip,
// so a page's people or a search's candidates must not cost one each. And the "?, ?, …" of an IN
// list, which every statement over a list writes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <span>
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

// Calls `each(chunk, marks)` for the ids in runs of at most `size`, `marks` holding a "?" per id
// of the run: for statements that name the list twice, or that read a long list (a report
// rebuild's) in fewer round trips than select_by_ids's 64 a statement.
template <class Each>
Result<void> for_each_id_chunk(const std::vector<std::int64_t>& ids, std::size_t size,
                               const Each& each) {
  for (std::size_t start = 0; start < ids.size(); start += size) {
    const std::span<const std::int64_t> chunk(ids.data() + start,
                                              std::min(size, ids.size() - start));
    GONGDAN_TRY(each(chunk, question_marks(chunk.size())));
  }
  return {};
}

}  // namespace gongdan::store
