// One line of the audit log: who did what to which account or setting, when, from where.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "util/clock.hpp"

namespace gongdan {

struct AuditEntry {
  std::int64_t id = 0;
  Millis at = 0;
  std::optional<std::int64_t> actor_id;
  std::string action;
  std::string target;
  std::string ip;
  std::string detail = "{}";  // a JSON object
};

}  // namespace gongdan
