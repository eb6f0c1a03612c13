#include "store/sqlite/sqlite_search_index.hpp"

#include <cctype>
#include <string>
#include <tuple>

namespace gongdan::store {

using SqliteSearchIndex = EngineSearchIndex<Engine::kSqlite>;

namespace {

// Index rows wait for the end of the write batch (Connection::before_commit): FTS5 would write
// a segment per write otherwise.
template <typename... Values>
Result<void> write_index_row(Connection& c, const char* sql, std::int64_t rowid, Values... texts) {
  return c.before_commit(
      [sql, rowid, texts = std::make_tuple(std::string(texts)...)](Connection& w) -> Result<void> {
        GONGDAN_ASSIGN(auto q, query(w, sql));
        std::apply([&](const auto&... t) { q.bind(rowid, t...); }, texts);
        return q.run();
      });
}

}  // namespace

template <>
Result<void> SqliteSearchIndex::index_ticket(Connection& c, std::int64_t ticket_id,
                                             std::string_view subject, std::string_view tags) {
  return write_index_row(c, "INSERT INTO ticket_fts (rowid, subject, tags) VALUES (?, ?, ?)",
                         ticket_id, subject, tags);
}

template <>
Result<void> SqliteSearchIndex::unindex_ticket(Connection& c, std::int64_t ticket_id,
                                               std::string_view subject, std::string_view tags) {
  return write_index_row(c,
                         "INSERT INTO ticket_fts (ticket_fts, rowid, subject, tags) "
                         "VALUES ('delete', ?, ?, ?)",
                         ticket_id, subject, tags);
}

template <>
Result<void> SqliteSearchIndex::index_message(Connection& c, std::int64_t message_id,
                                              std::string_view body) {
  return write_index_row(c, "INSERT INTO message_fts (rowid, body) VALUES (?, ?)", message_id,
                         body);
}

template <>
Result<void> SqliteSearchIndex::unindex_message(Connection& c, std::int64_t message_id,
                                                std::string_view body) {
  return write_index_row(
      c, "INSERT INTO message_fts (message_fts, rowid, body) VALUES ('delete', ?, ?)", message_id,
      body);
}

template <>
Result<void> SqliteSearchIndex::index_contact(Connection& c, std::int64_t user_id,
                                              std::string_view text) {
  return write_index_row(c, "INSERT INTO contact_fts (rowid, text) VALUES (?, ?)", user_id, text);
}

template <>
Result<void> SqliteSearchIndex::unindex_contact(Connection& c, std::int64_t user_id,
                                                std::string_view text) {
  return write_index_row(
      c, "INSERT INTO contact_fts (contact_fts, rowid, text) VALUES ('delete', ?, ?)", user_id,
      text);
}

template <>
Result<std::vector<std::int64_t>> SqliteSearchIndex::search_contacts(Connection& c,
                                                                     std::string_view match,
                                                                     int limit) {
  return select_ids(
      c, "SELECT rowid FROM contact_fts WHERE contact_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
      match, limit);
}

namespace {

// The lang column's one token: "len", "lzhcn" (letters only, so unicode61 keeps it whole).
// Searches no longer match it (search_articles), but rows indexed with it must be deleted with
// it (a contentless table's delete names the values indexed), so every row keeps it.
std::string lang_token(std::string_view lang) {
  std::string out = "l";
  for (char ch : lang)
    if (std::isalnum(static_cast<unsigned char>(ch)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// How many of the newest matching articles are ranked (search_articles).
constexpr int kArticleWindow = 400;

}  // namespace

template <>
Result<void> SqliteSearchIndex::index_article(Connection& c, std::int64_t translation_id,
                                              std::string_view lang, std::string_view title,
                                              std::string_view body) {
  return write_index_row(c, "INSERT INTO kb_fts (rowid, title, body, lang) VALUES (?, ?, ?, ?)",
                         translation_id, title, body, lang_token(lang));
}

template <>
Result<void> SqliteSearchIndex::unindex_article(Connection& c, std::int64_t translation_id,
                                                std::string_view lang, std::string_view title,
                                                std::string_view body) {
  return write_index_row(c,
                         "INSERT INTO kb_fts (kb_fts, rowid, title, body, lang) "
                         "VALUES ('delete', ?, ?, ?, ?)",
                         translation_id, title, body, lang_token(lang));
}

template <>
Result<std::vector<std::int64_t>> SqliteSearchIndex::search_articles(Connection& c,
                                                                     std::string_view match,
                                                                     std::string_view lang,
                                                                     int limit) {
  // Only the words are matched; the language is a plain column of the translation, read by its
  // id for each match. In the expression (the lang column's token) it was a phrase of its own,
  // and bm25 counts every document of each phrase: half the corpus, 1.5 ms of each query at
  // 10,000 articles (bench/kb.sh). FTS5 walks the matches newest first (the join keeps that
  // order: CROSS JOIN holds kb_fts outside) and stops at the window of this language's newest,
  // so bm25 ranks only those: scoring every match of a common word took most of a search's time.
  const std::string expression = "{title body} : (" + std::string(match) + ")";
  return select_ids(c,
                    "SELECT rowid FROM (SELECT f.rowid, bm25(kb_fts, 5.0, 1.0, 0.0) AS score "
                    "FROM kb_fts f CROSS JOIN kb_translations t ON t.id = f.rowid "
                    "WHERE kb_fts MATCH ? AND t.lang = ? ORDER BY f.rowid DESC LIMIT ?) "
                    "ORDER BY score, rowid DESC LIMIT ?",
                    expression, lang, kArticleWindow, limit);
}

template <>
Result<std::vector<TextHit>> SqliteSearchIndex::search(Connection& c, std::string_view match,
                                                       int window) {
  std::vector<TextHit> hits;
  {
    GONGDAN_ASSIGN(auto q, query(c,
                                 "SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ? "
                                 "ORDER BY rowid DESC LIMIT ?"));
    q.bind(match, window);
    GONGDAN_ASSIGN(auto ids, read_ids(q));
    for (auto id : ids) hits.push_back(TextHit{id, 0, false, 0.0});
  }
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT m.ticket_id, f.rowid, m.internal FROM "
                               "(SELECT rowid FROM message_fts WHERE message_fts MATCH ? "
                               "ORDER BY rowid DESC LIMIT ?) f JOIN messages m ON m.id = f.rowid "
                               "ORDER BY f.rowid DESC"));
  q.bind(match, window);
  GONGDAN_TRY(append_message_hits(q, hits));
  return hits;
}

template <>
Result<std::vector<std::int64_t>> SqliteSearchIndex::similar_tickets(Connection& c,
                                                                     std::string_view match,
                                                                     int window, int limit) {
  // FTS5 walks the matches newest first and stops at the window; bm25 scores only those.
  return select_ids(c,
                    "SELECT rowid FROM (SELECT rowid, bm25(ticket_fts) AS score FROM ticket_fts "
                    "WHERE ticket_fts MATCH ? ORDER BY rowid DESC LIMIT ?) "
                    "ORDER BY score, rowid DESC LIMIT ?",
                    match, window, limit);
}

std::unique_ptr<SearchIndex> sqlite_search_index() { return std::make_unique<SqliteSearchIndex>(); }

}  // namespace gongdan::store
