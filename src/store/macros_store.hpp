// Persistence of macros: named actions plus a reply an agent applies to a ticket in one step.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

struct MacroRow {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::int64_t> owner_id;  // none: shared with every agent
  std::string actions = "[]";            // rule actions (domain/rule.hpp) as JSON
  std::string reply;                     // a template; empty: no message
  bool reply_internal = false;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// Shared macros and those of `user_id`, by name.
Result<std::vector<MacroRow>> list_macros(Connection& c, std::int64_t user_id);
Result<std::optional<MacroRow>> find_macro(Connection& c, std::int64_t id);
Result<std::int64_t> insert_macro(Connection& c, const MacroRow& row);
Result<bool> update_macro(Connection& c, const MacroRow& row);
Result<bool> delete_macro(Connection& c, std::int64_t id);

}  // namespace gongdan::store
