#include "store/sqlite/sqlite_search_index.hpp"

#include <string>
#include <tuple>

namespace gongdan::store {

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

Result<void> SqliteSearchIndex::index_ticket(Connection& c, std::int64_t ticket_id,
                                             std::string_view subject, std::string_view tags) {
  return write_index_row(c, "INSERT INTO ticket_fts (rowid, subject, tags) VALUES (?, ?, ?)",
                         ticket_id, subject, tags);
}

Result<void> SqliteSearchIndex::unindex_ticket(Connection& c, std::int64_t ticket_id,
                                               std::string_view subject, std::string_view tags) {
  return write_index_row(c,
                         "INSERT INTO ticket_fts (ticket_fts, rowid, subject, tags) "
                         "VALUES ('delete', ?, ?, ?)",
                         ticket_id, subject, tags);
}

Result<void> SqliteSearchIndex::index_message(Connection& c, std::int64_t message_id,
                                              std::string_view body) {
  return write_index_row(c, "INSERT INTO message_fts (rowid, body) VALUES (?, ?)", message_id,
                         body);
}

Result<void> SqliteSearchIndex::index_contact(Connection& c, std::int64_t user_id,
                                              std::string_view text) {
  return write_index_row(c, "INSERT INTO contact_fts (rowid, text) VALUES (?, ?)", user_id, text);
}

Result<void> SqliteSearchIndex::unindex_contact(Connection& c, std::int64_t user_id,
                                                std::string_view text) {
  return write_index_row(
      c, "INSERT INTO contact_fts (contact_fts, rowid, text) VALUES ('delete', ?, ?)", user_id,
      text);
}

Result<std::vector<std::int64_t>> SqliteSearchIndex::search_contacts(Connection& c,
                                                                     std::string_view match,
                                                                     int limit) {
  return select_ids(
      c, "SELECT rowid FROM contact_fts WHERE contact_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
      match, limit);
}

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

}  // namespace gongdan::store
