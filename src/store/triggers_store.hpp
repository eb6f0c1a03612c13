// Persistence of triggers: rules (domain/rule.hpp) run inside ticket commands, in position order.
#pragma once

#include <string>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

struct TriggerRow {
  std::int64_t id = 0;
  std::string name;
  int position = 0;
  std::string definition;  // {"conditions": {...}, "actions": [...]}
  bool active = true;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// Triggers and time-based automations share the row shape, each in its own table.
enum class RuleTable { kTriggers, kAutomations };
Result<std::vector<TriggerRow>> list_rules(Connection& c, RuleTable table);  // by position, id
Result<std::int64_t> insert_rule(Connection& c, RuleTable table, const TriggerRow& row);
Result<bool> update_rule(Connection& c, RuleTable table, const TriggerRow& row);
Result<bool> delete_rule(Connection& c, RuleTable table, std::int64_t id);

inline Result<std::vector<TriggerRow>> list_triggers(Connection& c) {
  return list_rules(c, RuleTable::kTriggers);
}
inline Result<std::int64_t> insert_trigger(Connection& c, const TriggerRow& row) {
  return insert_rule(c, RuleTable::kTriggers, row);
}
inline Result<bool> update_trigger(Connection& c, const TriggerRow& row) {
  return update_rule(c, RuleTable::kTriggers, row);
}
inline Result<bool> delete_trigger(Connection& c, std::int64_t id) {
  return delete_rule(c, RuleTable::kTriggers, id);
}

}  // namespace gongdan::store
