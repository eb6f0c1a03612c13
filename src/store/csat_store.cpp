#include "store/csat_store.hpp"

namespace gongdan::store {
namespace {

constexpr std::string_view kCsatColumns =
    "id, ticket_id, solved_at, scale, question, language, sent_at, expires_at, rating, comment, "
    "rated_at";

CsatRequest read_csat_request(const Query& q) {
  CsatRequest r;
  r.id = q.integer(0);
  r.ticket_id = q.integer(1);
  r.solved_at = q.integer(2);
  r.scale = q.text(3);
  r.question = q.text(4);
  r.language = q.text(5);
  r.sent_at = q.integer(6);
  r.expires_at = q.integer(7);
  r.rating = q.optional_text(8);
  r.comment = q.text(9);
  r.rated_at = q.optional_integer(10);
  return r;
}

}  // namespace

Result<std::optional<std::int64_t>> insert_csat_request(Connection& c, const CsatRequest& row) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO csat_requests (ticket_id, solved_at, scale, question, "
                               "language, sent_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON "
                               "CONFLICT (ticket_id, solved_at) DO NOTHING RETURNING id"));
  return read_first_id(q.bind(row.ticket_id, row.solved_at, row.scale, row.question, row.language,
                              row.sent_at, row.expires_at));
}

Result<std::optional<CsatRequest>> find_csat_request(Connection& c, std::int64_t id) {
  GONGDAN_ASSIGN(
      auto q, query(c, "SELECT " + std::string(kCsatColumns) + " FROM csat_requests WHERE id = ?"));
  return read_first(q.bind(id), read_csat_request);
}

Result<bool> rate_csat_request(Connection& c, std::int64_t id, std::string_view rating,
                               std::string_view comment, Millis now) {
  // One conditional update: of two answers racing on PostgreSQL's writers, the second finds
  // the rating set and changes nothing.
  return run_changed(c,
                     "UPDATE csat_requests SET rating = ?, comment = ?, rated_at = ? WHERE id = ? "
                     "AND rating IS NULL AND expires_at > ?",
                     rating, comment, now, id, now);
}

Result<std::vector<CsatRequest>> csat_requests_of_ticket(Connection& c, std::int64_t ticket_id) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT " + std::string(kCsatColumns) +
                                      " FROM csat_requests WHERE ticket_id = ? ORDER BY id DESC "
                                      "LIMIT 50"));
  return read_rows(q.bind(ticket_id), read_csat_request);
}

}  // namespace gongdan::store
