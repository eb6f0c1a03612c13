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

Result<std::vector<TextHit>> SqliteSearchIndex::search(Connection& c, std::string_view match,
                                                       int window) {
  std::vector<TextHit> hits;
  {
    GONGDAN_ASSIGN(auto q, query(c,
                                 "SELECT rowid, bm25(ticket_fts, 4.0, 2.0) FROM ticket_fts "
                                 "WHERE ticket_fts MATCH ? ORDER BY rowid DESC LIMIT ?"));
    q.bind(match, window);
    while (true) {
      GONGDAN_ASSIGN(bool row, q.next());
      if (!row) break;
      hits.push_back(TextHit{q.integer(0), 0, false, q.real(1)});
    }
  }
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT m.ticket_id, f.rowid, m.internal, f.score FROM "
                               "(SELECT rowid, bm25(message_fts) AS score FROM message_fts "
                               "WHERE message_fts MATCH ? ORDER BY rowid DESC LIMIT ?) f "
                               "JOIN messages m ON m.id = f.rowid"));
  q.bind(match, window);
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    hits.push_back(TextHit{q.integer(0), q.integer(1), q.integer(2) != 0, q.real(3)});
  }
  return hits;
}

}  // namespace gongdan::store
