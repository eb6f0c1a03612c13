// A retention policy (a declared resource, services/retention_service.cpp): the closed tickets of
// one department, or of every department, are deleted or anonymised once their last change is
// `months` calendar months old. Pure: the cut-off is computed from a time passed in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "util/clock.hpp"

namespace gongdan {

inline constexpr const char* kRetentionActions[] = {"anonymise", "delete"};

struct RetentionPolicy {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::int64_t> department_id;  // none: every department
  std::int64_t months = 24;
  std::string action = "anonymise";  // "anonymise" or "delete"
  bool active = false;               // off until an admin has seen the dry run's count
  Millis created_at = 0;
  Millis updated_at = 0;
};

// `now` moved back `months` calendar months (UTC), the day clamped to the shorter month's end.
Millis months_before(Millis now, std::int64_t months);

}  // namespace gongdan
