// FTS5 implementation of SearchIndex: contentless tables ticket_fts(subject, tags) and
// message_fts(body) keyed by ticket and message id, with the porter + unicode61 tokenizer.
// Searching reads the newest matches by rowid (cheap in FTS5) and scores only those with bm25,
// so a common word never makes a query scan every matching row.
#pragma once

#include "store/search_index.hpp"

namespace gongdan::store {

class SqliteSearchIndex final : public SearchIndex {
 public:
  Result<void> index_ticket(Connection& c, std::int64_t ticket_id, std::string_view subject,
                            std::string_view tags) override;
  Result<void> unindex_ticket(Connection& c, std::int64_t ticket_id, std::string_view subject,
                              std::string_view tags) override;
  Result<void> index_message(Connection& c, std::int64_t message_id,
                             std::string_view body) override;
  Result<std::vector<TextHit>> search(Connection& c, std::string_view match, int window) override;
};

}  // namespace gongdan::store
