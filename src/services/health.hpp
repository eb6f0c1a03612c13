// Whether this node can serve (GET /readyz): its database answers and holds the schema this
// binary expects (an older one means migrations are still running on another node).
#pragma once

#include <string>

namespace gongdan::store {
class Database;
}

namespace gongdan::services {

struct Readiness {
  enum class State { kReady, kMigrating, kUnavailable };
  State state = State::kUnavailable;
  int schema_version = 0;
  std::string reason;  // kUnavailable: what went wrong
};

class HealthService {
 public:
  explicit HealthService(store::Database& db) : db_(db) {}
  Readiness readiness() const;

 private:
  store::Database& db_;
};

}  // namespace gongdan::services
