// Triggers and time-based automations as declared resources (services/resource_service.hpp):
// a name, a position, a switch and the rule body (conditions, actions; automations also `after`),
// the body stored as one JSON object in the `definition` column. What a rule may say is checked
// here, when it is saved; TriggersService and AutomationsService plug these checks into the
// declarations (their add_to) and run the stored rules.
#pragma once

#include "domain/resource.hpp"
#include "domain/stored_rule.hpp"
#include "services/directory.hpp"

namespace gongdan::store {
class Connection;
}

namespace gongdan::services {

class AutomationActions;

const Resource<StoredRule>& trigger_resource();
const Resource<StoredRule>& automation_resource();

// Refuses actions the ticket commands cannot carry out, and set_field values that do not exist.
Result<void> check_rule_actions(const Rule& rule, const Catalog& catalog);
// The names an action refers to (templates, agents, webhooks, macros) exist; without `actions`
// the actions that reach out (mail, notify, webhook, macro) are refused.
Result<void> check_references(store::Connection& c, AutomationActions* actions, const Rule& rule);
// Both, as a rule's check when it is saved.
Result<void> check_rule(store::Connection& c, Directory& directory, AutomationActions* actions,
                        const Rule& rule);

}  // namespace gongdan::services
