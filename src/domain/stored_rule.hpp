// A rule as admins keep it: a trigger (run inside every ticket command) or a time-based
// automation (run a while after an anchor, `after`). Its body, `conditions` and `actions`, is
// the JSON form of domain/rule.hpp, checked when saved; to_rule reads it for the engine.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <string>

#include "domain/rule.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan {

struct StoredRule {
  std::int64_t id = 0;
  std::string name;
  int position = 0;  // rules run (and are listed) by position, then id
  bool active = true;
  boost::json::value conditions;  // {"all": [...], "any": [...]}
  boost::json::value after;       // automations only: {"amount", "unit", "since"}
  boost::json::value actions;     // [{"type": ...}, ...]
  Millis created_at = 0;
  Millis updated_at = 0;
};

// The rule the engine evaluates, under `rule_id` (unique within one RuleSet); whether it runs
// at all (`active`) is the caller's to decide. Errors name the part of the body that is wrong
// ("conditions.all[0].field").
Result<Rule> to_rule(const StoredRule& stored, std::string rule_id);

}  // namespace gongdan
