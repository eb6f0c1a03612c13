// Background work as the durable queue holds it: a job to add, and a job as it stands.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "util/clock.hpp"

namespace gongdan {

struct NewJob {
  std::string kind;
  std::string payload = "{}";  // JSON
  Millis run_at = 0;
  std::string idempotency_key;
  int max_attempts = 0;    // 0: the runner's policy decides
  std::string request_id;  // "": the request this thread works for (util/request_id.hpp)
};

struct JobRecord {
  std::int64_t id = 0;
  std::string kind;
  std::string payload;
  Millis run_at = 0;
  int attempts = 0;
  int max_attempts = 0;
  std::string state;  // queued, running, done, dead
  std::string idempotency_key;
  std::string last_error;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::string request_id;  // of the request that enqueued it; "" for scheduled work
};

// The queue seen from /metrics: jobs of one kind in one state (queued, running, dead).
struct JobStat {
  std::string kind;
  std::string state;
  std::int64_t count = 0;
  std::int64_t due = 0;            // queued whose run_at has come
  std::optional<Millis> earliest;  // the earliest run_at among them
};

}  // namespace gongdan
