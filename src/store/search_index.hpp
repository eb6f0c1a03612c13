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
  double score = 0;  // lower ranks first: 0 for subject or tag hits, 1 for message hits
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
  // Removes a message's row; needs the text it was indexed with (contentless FTS5).
  virtual Result<void> unindex_message(Connection& c, std::int64_t message_id,
                                       std::string_view body) = 0;
  // Contacts (customers) by name and email, keyed by user id.
  virtual Result<void> index_contact(Connection& c, std::int64_t user_id,
                                     std::string_view text) = 0;
  virtual Result<void> unindex_contact(Connection& c, std::int64_t user_id,
                                       std::string_view text) = 0;
  virtual Result<std::vector<std::int64_t>> search_contacts(Connection& c, std::string_view match,
                                                            int limit) = 0;
  // Published knowledge-base translations, keyed by translation id, in their language (a
  // kb_languages() tag). Title and body arrive prepared by search::index_text.
  virtual Result<void> index_article(Connection& c, std::int64_t translation_id,
                                     std::string_view lang, std::string_view title,
                                     std::string_view body) = 0;
  // Removes one; needs the values it was indexed with.
  virtual Result<void> unindex_article(Connection& c, std::int64_t translation_id,
                                       std::string_view lang, std::string_view title,
                                       std::string_view body) = 0;
  // Translation ids in `lang` matching `match`, best first (title matches weigh more).
  virtual Result<std::vector<std::int64_t>> search_articles(Connection& c, std::string_view match,
                                                            std::string_view lang, int limit) = 0;
  // Subject and tag hits, newest ticket first, then message hits, newest message first: at most
  // `window` of each.
  virtual Result<std::vector<TextHit>> search(Connection& c, std::string_view match,
                                              int window) = 0;
  // Ticket ids whose subject or tags match `match` (usually an fts_match_any expression), best
  // BM25 score first, among the newest `window` matching tickets: a bounded cost however common
  // the words, and a bias to recent answers. At most `limit`.
  virtual Result<std::vector<std::int64_t>> similar_tickets(Connection& c, std::string_view match,
                                                            int window, int limit) = 0;
};

// The drivers' indexes: the same overrides for each engine. Each driver defines them for its own
// (sqlite/sqlite_search_index.cpp, postgres/pg_search_index.cpp) and, below the definitions,
// makes the instance its database holds (sqlite_search_index(), pg_search_index()).
template <Engine kEngine>
class EngineSearchIndex final : public SearchIndex {
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

// For the drivers: rows of (ticket id, message id, internal) as message hits.
Result<void> append_message_hits(Query& q, std::vector<TextHit>& hits);

}  // namespace gongdan::store
