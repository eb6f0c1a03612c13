// Departments (groups of agents: "IT support", "售后服务") and the organizations customers
// belong to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/clock.hpp"

namespace gongdan {

struct Department {
  std::int64_t id = 0;
  std::string name;
  std::string description;
  Millis created_at = 0;
};

struct Organization {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> domains;  // mail domains whose new contacts join it
  bool shared_tickets = false;       // its members see each other's tickets
  std::string tier;                  // for SLA conditions
  std::string notes;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// One of an organization's mail domains as it is kept: trimmed and lower-case; nullopt when it
// is not a domain name (letters, digits, '-' and at least one '.', at most 253 characters).
std::optional<std::string> organization_domain(std::string_view raw);

}  // namespace gongdan
