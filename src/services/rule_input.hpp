// What admins send to create or change a rule, a trigger or a time-based automation (both are
// stored as a store::TriggerRow: a name, a position, a switch and a JSON definition).
#pragma once

#include <boost/json.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "store/triggers_store.hpp"
#include "util/result.hpp"

namespace gongdan::services {

// Absent members keep what is stored.
struct RuleInput {
  std::optional<std::string> name;
  std::optional<int> position;
  std::optional<bool> active;
  std::optional<boost::json::value> conditions;
  std::optional<boost::json::value> after;  // automations only: how long to wait
  std::optional<boost::json::value> actions;
};

// Sets the row's name (required when creating), position and switch, and merges the `parts` of
// the definition (e.g. "conditions", "actions") from `in`; each part is required once merged.
// Checking the rule itself is the caller's.
Result<void> apply_rule_input(store::TriggerRow& row, const RuleInput& in, bool creating,
                              std::initializer_list<std::string_view> parts);

}  // namespace gongdan::services
