#include "services/rule_input.hpp"

#include "util/text.hpp"

namespace gongdan::services {

Result<void> apply_rule_input(store::TriggerRow& row, const RuleInput& in, bool creating,
                              std::initializer_list<std::string_view> parts) {
  if (in.name) {
    row.name = text::strip_controls(text::trim(*in.name));
    if (row.name.empty() || row.name.size() > 200 || !text::is_valid_utf8(row.name))
      return fail(ErrorCode::kInvalidArgument, "must be 1 to 200 bytes of text", "name");
  } else if (creating) {
    return fail(ErrorCode::kInvalidArgument, "is required", "name");
  }
  if (in.position) row.position = *in.position;
  if (in.active) row.active = *in.active;
  boost::json::object def;
  if (!row.definition.empty()) {
    boost::system::error_code ec;
    auto old = boost::json::parse(row.definition, ec);
    if (!ec && old.is_object()) def = old.as_object();
  }
  for (auto part : parts) {
    const auto& given = part == "conditions" ? in.conditions
                        : part == "after"    ? in.after
                                             : in.actions;
    if (given) def[part] = *given;
    if (!def.contains(part))
      return fail(ErrorCode::kInvalidArgument, "is required", std::string(part));
  }
  row.definition = boost::json::serialize(def);
  return {};
}

}  // namespace gongdan::services
