// The full-text index behind the Database seam: each driver implements it with its engine's
// search (FTS5 on SQLite). Text arrives already prepared by search::index_text (CJK split into
// bigrams), and queries as search::fts_match expressions.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace gongdan::store {

struct TextHit {
  std::int64_t ticket_id = 0;
  std::int64_t message_id = 0;  // 0 for a subject or tag hit
  bool internal = false;
  double score = 0;  // lower is better (bm25)
};

class SearchIndex {
 public:
  virtual ~SearchIndex() = default;
  virtual Result<void> index_ticket(Connection& c, std::int64_t ticket_id, std::string_view subject,
                                    std::string_view tags) = 0;
  // Removes a ticket's row; needs the values it was indexed with.
  virtual Result<void> unindex_ticket(Connection& c, std::int64_t ticket_id,
                                      std::string_view subject, std::string_view tags) = 0;
  virtual Result<void> index_message(Connection& c, std::int64_t message_id,
                                     std::string_view body) = 0;
  // The newest `window` matches of each kind, with their scores.
  virtual Result<std::vector<TextHit>> search(Connection& c, std::string_view match,
                                              int window) = 0;
};

}  // namespace gongdan::store
