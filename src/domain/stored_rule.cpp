#include "domain/stored_rule.hpp"

namespace gongdan {

Result<Rule> to_rule(const StoredRule& stored, std::string rule_id) {
  return parse_rule(boost::json::object{{"id", std::move(rule_id)},
                                        {"name", stored.name},
                                        {"conditions", stored.conditions},
                                        {"actions", stored.actions}});
}

}  // namespace gongdan
