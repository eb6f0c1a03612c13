#include "store/assist_store.hpp"

namespace gongdan::store {

Result<std::int64_t> insert_assist_request(Connection& c, const AssistRequest& r) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO assist_requests (at, user_id, ticket_number, kind, "
                               "model, outcome, http_status, prompt_tokens, completion_tokens, "
                               "duration_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                               "RETURNING id"));
  q.bind(r.at, r.user_id, r.ticket_number, r.kind, r.model, r.outcome, r.http_status,
         r.prompt_tokens, r.completion_tokens, r.duration_ms, r.error);
  GONGDAN_ASSIGN(bool row, q.next());
  if (!row) return fail(ErrorCode::kInternal, "no id for the assist request");
  return q.integer(0);
}

Result<std::vector<AssistRequest>> list_assist_requests(Connection& c, std::int64_t before_id,
                                                        int limit) {
  GONGDAN_ASSIGN(auto rows, query(c,
                                  "SELECT id, at, user_id, ticket_number, kind, model, outcome, "
                                  "http_status, prompt_tokens, completion_tokens, duration_ms, "
                                  "error FROM assist_requests WHERE (? = 0 OR id < ?) ORDER BY id "
                                  "DESC LIMIT ?"));
  return read_rows(rows.bind(before_id, before_id, limit), [](const Query& q) {
    AssistRequest r;
    r.id = q.integer(0);
    r.at = q.integer(1);
    r.user_id = q.integer(2);
    r.ticket_number = q.optional_integer(3);
    r.kind = q.text(4);
    r.model = q.text(5);
    r.outcome = q.text(6);
    r.http_status = q.optional_integer(7);
    r.prompt_tokens = q.integer(8);
    r.completion_tokens = q.integer(9);
    r.duration_ms = q.integer(10);
    r.error = q.text(11);
    return r;
  });
}

Result<AssistUse> assist_use_since(Connection& c, Millis since) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT COUNT(*), COALESCE(SUM(prompt_tokens), 0), "
                               "COALESCE(SUM(completion_tokens), 0) FROM assist_requests WHERE "
                               "at >= ?"));
  q.bind(since);
  GONGDAN_ASSIGN(bool row, q.next());
  AssistUse out;
  if (!row) return out;
  out.requests = q.integer(0);
  out.prompt_tokens = q.integer(1);
  out.completion_tokens = q.integer(2);
  return out;
}

Result<std::int64_t> delete_assist_requests_before(Connection& c, Millis before) {
  GONGDAN_ASSIGN(auto q, query(c, "DELETE FROM assist_requests WHERE at < ?"));
  q.bind(before);
  GONGDAN_TRY(q.run());
  return c.changes();
}

Result<bool> any_assist_requests(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT 1 FROM assist_requests LIMIT 1"));
  return q.next();
}

}  // namespace gongdan::store
