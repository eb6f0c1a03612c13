// Reading a rule (a trigger or a time-based automation) from a request body.
#pragma once

#include "api/request.hpp"
#include "services/rule_input.hpp"

namespace gongdan::api {

// name, position, active, conditions, actions, and `after` when `with_after` (automations);
// any other member is 400 with its name.
Result<services::RuleInput> read_rule_input(const Request& request, bool with_after);

}  // namespace gongdan::api
