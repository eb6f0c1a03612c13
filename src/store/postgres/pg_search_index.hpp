// Full-text search on PostgreSQL: one tsvector per ticket (subject and tags), message and
// contact, in the `gongdan` text search configuration (see PostgresDatabase::dialect_ddl).
// Queries arrive as FTS5 expressions (search::fts_match) and are translated to tsquery.
#pragma once

#include <string>

#include "store/search_index.hpp"

namespace gongdan::store {

// An FTS5 match expression ("a b" phrases, "x"* prefixes, AND / OR / NOT, parentheses) as the
// equivalent tsquery text; empty when nothing searchable is left.
std::string tsquery_from_fts(std::string_view match);

class PgSearchIndex final : public SearchIndex {
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
