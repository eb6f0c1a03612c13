#include "api/rule_body.hpp"

#include <array>

#include "api/json.hpp"

namespace gongdan::api {

Result<services::RuleInput> read_rule_input(const Request& request, bool with_after) {
  static constexpr std::array<std::string_view, 6> kAutomation{"name",       "position", "active",
                                                               "conditions", "after",    "actions"};
  static constexpr std::array<std::string_view, 5> kTrigger{"name", "position", "active",
                                                            "conditions", "actions"};
  GONGDAN_ASSIGN(auto body, with_after ? parse_object(request.body, kAutomation)
                                       : parse_object(request.body, kTrigger));
  services::RuleInput in;
  GONGDAN_ASSIGN(in.name, optional_string(body, "name", 200));
  GONGDAN_ASSIGN(in.active, optional_bool(body, "active"));
  if (auto it = body.find("position"); it != body.end()) {
    if (!it->value().is_int64() || it->value().as_int64() < -100000 ||
        it->value().as_int64() > 100000)
      return fail(ErrorCode::kInvalidArgument, "must be a whole number", "position");
    in.position = static_cast<int>(it->value().as_int64());
  }
  if (auto it = body.find("conditions"); it != body.end()) in.conditions = it->value();
  if (with_after)
    if (auto it = body.find("after"); it != body.end()) in.after = it->value();
  if (auto it = body.find("actions"); it != body.end()) in.actions = it->value();
  return in;
}

}  // namespace gongdan::api
