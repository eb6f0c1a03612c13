#include "store/triage_store.hpp"

#include "util/text.hpp"

namespace gongdan::store {
namespace {

constexpr std::string_view kModelColumns =
    "id, field, trained_at, duration_ms, examples, held_out, correct, evaluation, size";

TriageModelRecord read_model(const Query& q) {
  TriageModelRecord r;
  r.id = q.integer(0);
  r.field = q.text(1);
  r.trained_at = q.integer(2);
  r.duration_ms = q.integer(3);
  r.examples = q.integer(4);
  r.held_out = q.integer(5);
  r.correct = q.integer(6);
  r.evaluation = q.text(7);
  r.size = q.integer(8);
  return r;
}

}  // namespace

// PostgreSQL answers in text format, where a bytea reads as "\x" and hex digits.
std::string from_bytea_text(std::string text) {
  if (!text.starts_with("\\x")) return text;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  std::string out;
  out.reserve((text.size() - 2) / 2);
  for (std::size_t i = 2; i + 1 < text.size(); i += 2)
    out += static_cast<char>((nibble(text[i]) << 4) | nibble(text[i + 1]));
  return out;
}

Result<std::vector<TriageExample>> triage_examples(Connection& c, std::int64_t after_id,
                                                   int limit) {
  GONGDAN_ASSIGN(auto rows,
                 query(c,
                       "SELECT t.id, t.subject, t.department_id, t.type, t.priority, t.tags, "
                       "(SELECT m.body FROM messages m WHERE m.ticket_id = t.id ORDER BY m.id "
                       "LIMIT 1) FROM tickets t WHERE t.category IN ('solved', 'closed') AND "
                       "t.merged_into IS NULL AND t.id > ? ORDER BY t.id LIMIT ?"));
  return read_rows(rows.bind(after_id, limit), [](const Query& q) {
    TriageExample e;
    e.id = q.integer(0);
    e.subject = q.text(1);
    e.department_id = q.optional_integer(2);
    e.type = q.text(3);
    e.priority = q.integer(4);
    const std::string tags = q.text(5);
    for (auto tag : text::split(tags, ' '))
      if (!tag.empty()) e.tags.emplace_back(tag);
    e.body = q.optional_text(6).value_or("");
    return e;
  });
}

Result<std::int64_t> insert_triage_model(Connection& c, const TriageModelRecord& r,
                                         std::string_view bytes) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO triage_models (field, trained_at, duration_ms, "
                               "examples, held_out, correct, evaluation, size, model) VALUES (?, "
                               "?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
  q.bind(r.field, r.trained_at, r.duration_ms, r.examples, r.held_out, r.correct, r.evaluation,
         static_cast<std::int64_t>(bytes.size()));
  q.statement().bind_blob(9, bytes);
  GONGDAN_ASSIGN(bool row, q.next());
  if (!row) return fail(ErrorCode::kInternal, "no id for the triage model");
  const std::int64_t id = q.integer(0);
  GONGDAN_ASSIGN(auto prune, query(c,
                                   "DELETE FROM triage_models WHERE field = ? AND id < (SELECT "
                                   "MAX(id) FROM triage_models WHERE field = ? AND id < ?)"));
  prune.bind(r.field, r.field, id);
  GONGDAN_TRY(prune.run());
  return id;
}

Result<std::optional<TriageModelRecord>> latest_triage_model(Connection& c,
                                                             std::string_view field) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT " + std::string(kModelColumns) +
                                      " FROM triage_models WHERE field = ? ORDER BY id DESC "
                                      "LIMIT 1"));
  q.bind(field);
  GONGDAN_ASSIGN(bool row, q.next());
  if (!row) return std::optional<TriageModelRecord>();
  return std::optional(read_model(q));
}

Result<std::vector<std::pair<std::string, std::int64_t>>> latest_triage_model_ids(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT field, MAX(id) FROM triage_models GROUP BY field"));
  return read_rows(q, [](const Query& r) { return std::pair{r.text(0), r.integer(1)}; });
}

Result<std::optional<std::string>> triage_model_bytes(Connection& c, std::int64_t id) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT model FROM triage_models WHERE id = ?"));
  q.bind(id);
  GONGDAN_ASSIGN(bool row, q.next());
  if (!row) return std::optional<std::string>();
  auto bytes = q.text(0);
  if (c.engine() == Engine::kPostgres) bytes = from_bytea_text(std::move(bytes));
  return std::optional(std::move(bytes));
}

}  // namespace gongdan::store
