#include "store/ticket_vectors_store.hpp"

#include <cstring>

#include "store/select_by_ids.hpp"
#include "store/triage_store.hpp"

namespace gongdan::store {
namespace {

static_assert(sizeof(float) == 4);

std::string bytes_of(std::span<const float> vector) {
  std::string out(vector.size() * sizeof(float), '\0');
  std::memcpy(out.data(), vector.data(), out.size());
  return out;
}

Result<std::vector<TicketVectorRow>> read_vectors(Connection& c, Query& rows) {
  return read_rows(rows, [&c](const Query& q) {
    TicketVectorRow r;
    r.ticket_id = q.integer(0);
    auto bytes = q.text(1);
    if (c.engine() == Engine::kPostgres) bytes = from_bytea_text(std::move(bytes));
    r.vector.resize(bytes.size() / sizeof(float));
    std::memcpy(r.vector.data(), bytes.data(), r.vector.size() * sizeof(float));
    r.stored_at = q.integer(2);
    return r;
  });
}

}  // namespace

Result<void> put_ticket_vector(Connection& c, std::int64_t ticket_id, std::int64_t model_id,
                               std::span<const float> vector, Millis now) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO ticket_vectors (ticket_id, model_id, stored_at, "
                               "vector) VALUES (?, ?, ?, ?) ON CONFLICT (ticket_id) DO UPDATE SET "
                               "model_id = excluded.model_id, stored_at = excluded.stored_at, "
                               "vector = excluded.vector"));
  q.bind(ticket_id, model_id, now);
  q.statement().bind_blob(4, bytes_of(vector));
  return q.run();
}

Result<void> drop_ticket_vector(Connection& c, std::int64_t ticket_id) {
  GONGDAN_ASSIGN(auto q, query(c, "DELETE FROM ticket_vectors WHERE ticket_id = ?"));
  return q.bind(ticket_id).run();
}

Result<void> drop_requester_vectors(Connection& c, std::int64_t requester_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "DELETE FROM ticket_vectors WHERE ticket_id IN (SELECT id FROM "
                               "tickets WHERE requester_id = ?)"));
  return q.bind(requester_id).run();
}

Result<std::vector<TicketVectorRow>> ticket_vectors(Connection& c, std::int64_t model_id,
                                                    std::int64_t after_id, int limit) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT ticket_id, vector, stored_at FROM ticket_vectors WHERE "
                               "model_id = ? AND ticket_id > ? ORDER BY ticket_id LIMIT ?"));
  q.bind(model_id, after_id, limit);
  return read_vectors(c, q);
}

Result<std::vector<TicketVectorRow>> ticket_vectors_since(Connection& c, std::int64_t model_id,
                                                          Millis since, int limit) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT ticket_id, vector, stored_at FROM ticket_vectors WHERE "
                               "stored_at >= ? AND model_id = ? ORDER BY stored_at LIMIT ?"));
  q.bind(since, model_id, limit);
  return read_vectors(c, q);
}

Result<std::vector<std::int64_t>> tickets_of_other_models(Connection& c, std::int64_t model_id,
                                                          int limit) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT ticket_id FROM ticket_vectors WHERE model_id <> ? ORDER BY "
                               "ticket_id LIMIT ?"));
  q.bind(model_id, limit);
  return read_rows(q, [](const Query& r) { return r.integer(0); });
}

Result<std::vector<std::int64_t>> tickets_with_vectors(Connection& c,
                                                       const std::vector<std::int64_t>& ids) {
  std::vector<std::int64_t> out;
  GONGDAN_TRY(select_by_ids(c, "SELECT ticket_id FROM ticket_vectors WHERE ticket_id", ids,
                            [&](const Query& q) { out.push_back(q.integer(0)); }));
  return out;
}

}  // namespace gongdan::store
