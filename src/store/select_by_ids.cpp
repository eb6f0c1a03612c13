#include "store/select_by_ids.hpp"

#include <algorithm>
#include <string>

namespace gongdan::store {

std::string question_marks(std::size_t n) {
  std::string out = "?";
  for (std::size_t i = 1; i < n; ++i) out += ", ?";
  return out;
}

Result<void> select_by_ids(Connection& c, std::string_view head,
                           const std::vector<std::int64_t>& ids,
                           const std::function<void(const Query&)>& row) {
  constexpr std::size_t kChunk = 64;
  for (std::size_t start = 0; start < ids.size(); start += kChunk) {
    const std::size_t n = std::min(kChunk, ids.size() - start);
    std::size_t slots = 1;
    while (slots < n) slots *= 2;
    const std::string sql = std::string(head) + " IN (" + question_marks(slots) + ")";
    GONGDAN_ASSIGN(auto q, query(c, sql));
    for (std::size_t i = 0; i < slots; ++i)
      q.statement().bind_int(static_cast<int>(i) + 1, ids[start + std::min(i, n - 1)]);
    while (true) {
      GONGDAN_ASSIGN(bool more, q.next());
      if (!more) break;
      row(q);
    }
  }
  return {};
}

}  // namespace gongdan::store
