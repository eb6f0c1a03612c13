#include "store/select_by_ids.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <span>
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

Result<void> select_by_id_chunks(Connection& c, std::string_view sql,
                                 const std::vector<std::int64_t>& ids, std::size_t size,
                                 const std::function<void(const Query&)>& row) {
  int lists = 0;
  for (auto at = sql.find("{0}"); at != std::string_view::npos; at = sql.find("{0}", at + 3))
    ++lists;
  for (std::size_t start = 0; start < ids.size(); start += size) {
    const std::span<const std::int64_t> chunk(ids.data() + start,
                                              std::min(size, ids.size() - start));
    GONGDAN_ASSIGN(auto q, query(c, fmt::format(fmt::runtime(sql), question_marks(chunk.size()))));
    int next = 1;
    for (int list = 0; list < lists; ++list)
      for (auto id : chunk) q.bind_from(next++, id);
    while (true) {
      GONGDAN_ASSIGN(bool more, q.next());
      if (!more) break;
      row(q);
    }
  }
  return {};
}

}  // namespace gongdan::store
