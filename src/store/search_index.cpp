#include "store/search_index.hpp"

namespace gongdan::store {

Result<void> append_message_hits(Query& q, std::vector<TextHit>& hits) {
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) return {};
    hits.push_back(TextHit{q.integer(0), q.integer(1), q.integer(2) != 0, 1.0});
  }
}

}  // namespace gongdan::store
