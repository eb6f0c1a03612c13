#include "store/search_index.hpp"

namespace gongdan::store {

Result<std::vector<std::int64_t>> read_ids(Query& q) {
  std::vector<std::int64_t> ids;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    ids.push_back(q.integer(0));
  }
  return ids;
}

Result<void> append_message_hits(Query& q, std::vector<TextHit>& hits) {
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) return {};
    hits.push_back(TextHit{q.integer(0), q.integer(1), q.integer(2) != 0, 1.0});
  }
}

}  // namespace gongdan::store
