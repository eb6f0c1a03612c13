// The rows of triage: solved tickets read as training examples, and the trained models with
// their evaluations (their settings are a declared resource, through resource_store).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

// A solved or closed ticket as the models learn from it: its text and the fields they predict.
struct TriageExample {
  std::int64_t id = 0;
  std::string subject;
  std::string body;  // the first message's
  std::optional<std::int64_t> department_id;
  std::string type;
  std::int64_t priority = 1;
  std::vector<std::string> tags;
};

// Up to `limit` solved or closed tickets (not merged away) with ids above `after_id`, oldest
// first.
Result<std::vector<TriageExample>> triage_examples(Connection& c, std::int64_t after_id, int limit);

struct TriageModelRecord {
  std::int64_t id = 0;
  std::string field;
  Millis trained_at = 0;
  std::int64_t duration_ms = 0;
  std::int64_t examples = 0;
  std::int64_t held_out = 0;
  std::int64_t correct = 0;
  std::string evaluation;  // JSON (services/triage_service writes and reads it)
  std::int64_t size = 0;   // bytes of the model
};

// Stores a model and its evaluation; keeps the field's two newest models and deletes older
// ones. Returns the new model's id.
Result<std::int64_t> insert_triage_model(Connection& c, const TriageModelRecord& record,
                                         std::string_view bytes);
// The field's newest model, without its bytes.
Result<std::optional<TriageModelRecord>> latest_triage_model(Connection& c, std::string_view field);
// The newest model's id of every field that has one.
Result<std::vector<std::pair<std::string, std::int64_t>>> latest_triage_model_ids(Connection& c);
Result<std::optional<std::string>> triage_model_bytes(Connection& c, std::int64_t id);

// A bytea column's bytes from PostgreSQL's text-format answer ("\x" and hex digits); call it on
// PostgreSQL only (SQLite's q.text() gives a blob's bytes as they are).
std::string from_bytea_text(std::string text);

}  // namespace gongdan::store
