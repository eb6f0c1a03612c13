// People who use gongdan: agents (with a role) and customers. Pure values and validation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan {

enum class Role { kAdmin, kSupervisor, kAgent, kLightAgent, kCustomer };

std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view name);
inline bool is_agent_role(Role role) { return role != Role::kCustomer; }

struct User {
  std::int64_t id = 0;
  Role role = Role::kCustomer;
  std::string email;
  std::string name;
  std::string locale = "en";
  std::string time_zone = "UTC";
  bool active = true;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::optional<std::int64_t> organization_id;  // customers
  std::string notes;                            // what agents know about this contact
  // Staff with a custom role (domain/permission.hpp): its id; `role` is then the built-in role
  // its holders count as (base_role_of). None: the built-in role's preset permissions.
  std::optional<std::int64_t> role_id;
};

// Who a ticket may be assigned to: an active agent who may change tickets (not a light agent).
inline bool can_be_assignee(const User& u) {
  return u.active && is_agent_role(u.role) && u.role != Role::kLightAgent;
}

inline constexpr std::size_t kMinPasswordLength = 8;
inline constexpr std::size_t kMaxPasswordLength = 1024;
inline constexpr std::size_t kMaxNameLength = 200;

bool is_supported_locale(std::string_view locale);
// Checks the shape of an IANA zone name; whether the zone exists is asked of the time-zone
// database by the caller that has one.
bool is_plausible_time_zone_name(std::string_view zone);
Result<void> validate_password(std::string_view password, std::string_view field = "password");

// Which people a list or a change is about: agents (every role but customer), customers
// (contacts), or both.
enum class UserKind { kAgents, kCustomers, kAll };

}  // namespace gongdan
