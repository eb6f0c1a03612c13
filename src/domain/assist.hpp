// Drafts and summaries from a chat-completions endpoint the admin chooses (issue 22): its
// settings (one row, off until an admin turns it on) and the log of every request made to it.
// The request, the prompt and the reading of the answer live in models/ and services/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "util/clock.hpp"

namespace gongdan {

// The endpoint: POST <base_url>/chat/completions with `model`, the API key as a Bearer token
// (sealed at rest, like mailbox passwords), at most `max_tokens` in the answer, and the whole
// exchange cut off after `timeout_seconds`. A node sends at most `max_concurrent` requests at
// once (the rest are refused, not queued: an agent waits for an answer); the request log keeps
// `log_days` days.
struct AssistSetting {
  std::int64_t id = 0;
  bool enabled = false;
  std::string base_url;
  std::string model;
  std::string api_key;  // sealed
  std::int64_t max_tokens = 512;
  std::int64_t timeout_seconds = 30;
  std::int64_t max_concurrent = 4;
  std::int64_t log_days = 180;
  Millis updated_at = 0;
};

// One request to the endpoint, as the admins' log shows it. `kind`: draft, summary or test;
// `outcome`: ok, timeout, refused (an HTTP error status), unreachable or garbage (an answer
// that is not the wire format).
struct AssistRequest {
  std::int64_t id = 0;
  Millis at = 0;
  std::int64_t user_id = 0;
  std::optional<std::int64_t> ticket_number;
  std::string kind;
  std::string model;
  std::string outcome;
  std::optional<std::int64_t> http_status;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t duration_ms = 0;
  std::string error;
};

}  // namespace gongdan
