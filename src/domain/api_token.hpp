// An API token as its owner sees it: name, scopes, when it was made, last used and revoked. The
// secret itself is never kept, only its SHA-256 digest (store/credentials_store).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "util/clock.hpp"

namespace gongdan {

struct ApiToken {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string name;
  std::string scopes;  // space-separated
  Millis created_at = 0;
  std::optional<Millis> last_used_at;
  std::optional<Millis> revoked_at;
};

}  // namespace gongdan
