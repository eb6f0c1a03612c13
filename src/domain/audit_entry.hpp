// One line of the audit log: who did what to which account or setting, when, from where.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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
  // The link of the tamper-evident chain: a MAC of this row and the previous row's hash
  // (services/audit.cpp); empty on rows written before the chain began.
  std::string hash;
};

// Which entries a reader of the log wants; empty members do not narrow.
struct AuditFilter {
  std::string action;  // an exact action, or a prefix ending in '.' ("auth.")
  std::optional<std::int64_t> actor_id;
  std::string target;
  std::optional<Millis> from;   // at >= from
  std::optional<Millis> until;  // at < until
};

// The bytes a row's hash covers: every field, length-prefixed so no two rows share them, after
// the previous row's hash.
std::string audit_link_text(const AuditEntry& entry, std::string_view previous_hash);

}  // namespace gongdan
