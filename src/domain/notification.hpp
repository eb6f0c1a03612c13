// An agent's in-app notification: what the notify action of a trigger, an automation or an SLA
// warning tells them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "util/clock.hpp"

namespace gongdan {

struct Notification {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::optional<std::int64_t> ticket_id;
  std::optional<std::int64_t> ticket_number;
  std::string kind;  // "trigger", "automation", "sla"
  std::string title;
  std::string body;
  std::optional<Millis> read_at;
  Millis created_at = 0;
};

}  // namespace gongdan
