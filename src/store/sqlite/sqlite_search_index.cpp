#include "store/sqlite/sqlite_search_index.hpp"

namespace gongdan::store {

Result<void> SqliteSearchIndex::index_ticket(Connection& c, std::int64_t ticket_id,
                                             std::string_view subject, std::string_view tags) {
  GONGDAN_ASSIGN(auto q,
                 query(c, "INSERT INTO ticket_fts (rowid, subject, tags) VALUES (?, ?, ?)"));
  return q.bind(ticket_id, subject, tags).run();
}

Result<void> SqliteSearchIndex::unindex_ticket(Connection& c, std::int64_t ticket_id,
                                               std::string_view subject, std::string_view tags) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO ticket_fts (ticket_fts, rowid, subject, tags) "
                               "VALUES ('delete', ?, ?, ?)"));
  return q.bind(ticket_id, subject, tags).run();
}

Result<void> SqliteSearchIndex::index_message(Connection& c, std::int64_t message_id,
                                              std::string_view body) {
  GONGDAN_ASSIGN(auto q, query(c, "INSERT INTO message_fts (rowid, body) VALUES (?, ?)"));
  return q.bind(message_id, body).run();
}

Result<void> SqliteSearchIndex::index_contact(Connection& c, std::int64_t user_id,
                                              std::string_view text) {
  GONGDAN_ASSIGN(auto q, query(c, "INSERT INTO contact_fts (rowid, text) VALUES (?, ?)"));
  return q.bind(user_id, text).run();
}

Result<void> SqliteSearchIndex::unindex_contact(Connection& c, std::int64_t user_id,
                                                std::string_view text) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO contact_fts (contact_fts, rowid, text) VALUES "
                               "('delete', ?, ?)"));
  return q.bind(user_id, text).run();
}

Result<std::vector<std::int64_t>> SqliteSearchIndex::search_contacts(Connection& c,
                                                                     std::string_view match,
                                                                     int limit) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT rowid FROM contact_fts WHERE contact_fts MATCH ? "
                               "ORDER BY rowid DESC LIMIT ?"));
  q.bind(match, limit);
  return read_ids(q);
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
