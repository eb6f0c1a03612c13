// FTS5 implementation of SearchIndex: contentless tables ticket_fts(subject, tags) and
// message_fts(body) keyed by ticket and message id, with the porter + unicode61 tokenizer.
// Searching reads the newest matches by rowid, which FTS5 does lazily. bm25 is not used: it
// counts every row that holds each phrase (a full doclist scan, 10+ ms for a common CJK bigram
// at a million tickets) and the ranking does not need it.
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
  Result<void> unindex_message(Connection& c, std::int64_t message_id,
                               std::string_view body) override;
  Result<void> index_contact(Connection& c, std::int64_t user_id, std::string_view text) override;
  Result<void> unindex_contact(Connection& c, std::int64_t user_id, std::string_view text) override;
  Result<std::vector<std::int64_t>> search_contacts(Connection& c, std::string_view match,
                                                    int limit) override;
  Result<void> index_article(Connection& c, std::int64_t translation_id, std::string_view lang,
                             std::string_view title, std::string_view body) override;
  Result<void> unindex_article(Connection& c, std::int64_t translation_id, std::string_view lang,
                               std::string_view title, std::string_view body) override;
  Result<std::vector<std::int64_t>> search_articles(Connection& c, std::string_view match,
                                                    std::string_view lang, int limit) override;
  Result<std::vector<TextHit>> search(Connection& c, std::string_view match, int window) override;
  Result<std::vector<std::int64_t>> similar_tickets(Connection& c, std::string_view match,
                                                    int window, int limit) override;
};

}  // namespace gongdan::store
