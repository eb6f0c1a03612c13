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

Result<std::vector<TriggerRow>> list_triggers(Connection& c);  // by position, id
Result<std::int64_t> insert_trigger(Connection& c, const TriggerRow& row);
Result<bool> update_trigger(Connection& c, const TriggerRow& row);
Result<bool> delete_trigger(Connection& c, std::int64_t id);

}  // namespace gongdan::store
