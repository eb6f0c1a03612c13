#include "domain/sla_policy.hpp"

#include <algorithm>

namespace gongdan {
namespace {

Result<std::vector<std::string>> string_list(const boost::json::value& v,
                                             const std::string& field) {
  if (!v.is_array()) return fail(ErrorCode::kInvalidArgument, "must be a list", field);
  std::vector<std::string> out;
  for (const auto& item : v.as_array()) {
    if (!item.is_string())
      return fail(ErrorCode::kInvalidArgument, "must be a list of strings", field);
    out.emplace_back(item.as_string());
  }
  return out;
}

// Names read by `parse` into `out`; an unknown one is an error naming it.
template <class T>
Result<void> read_names(const boost::json::value& v, const std::string& field,
                        std::optional<T> (*parse)(std::string_view), std::string_view what,
                        std::vector<T>& out) {
  GONGDAN_ASSIGN(auto names, string_list(v, field));
  for (const auto& n : names) {
    auto parsed = parse(n);
    if (!parsed)
      return fail(ErrorCode::kInvalidArgument, "unknown " + std::string(what) + " '" + n + "'",
                  field);
    out.push_back(*parsed);
  }
  return {};
}

Result<void> read_ids(const boost::json::value& v, const std::string& field,
                      std::vector<std::int64_t>& out) {
  if (!v.is_array()) return fail(ErrorCode::kInvalidArgument, "must be a list of ids", field);
  for (const auto& item : v.as_array()) {
    if (!item.is_int64() || item.as_int64() <= 0)
      return fail(ErrorCode::kInvalidArgument, "must be a list of ids", field);
    out.push_back(item.as_int64());
  }
  return {};
}

template <class T>
bool any_or_in(const std::vector<T>& list, const T& v) {
  return list.empty() || std::ranges::find(list, v) != list.end();
}

}  // namespace

Result<SlaConditions> read_sla_conditions(const boost::json::value& conditions) {
  if (!conditions.is_object())
    return fail(ErrorCode::kInvalidArgument, "must be an object", "conditions");
  SlaConditions out;
  for (const auto& [key, value] : conditions.get_object()) {
    const std::string field = "conditions." + std::string(key);
    if (key == "priority") {
      GONGDAN_TRY(read_names(value, field, parse_priority, "priority", out.priorities));
    } else if (key == "type") {
      GONGDAN_TRY(read_names(value, field, parse_type, "type", out.types));
    } else if (key == "department") {
      GONGDAN_TRY(read_ids(value, field, out.departments));
    } else if (key == "organization_tier") {
      GONGDAN_ASSIGN(out.tiers, string_list(value, field));
    } else {
      return fail(ErrorCode::kInvalidArgument,
                  "unknown condition; use priority, type, department or organization_tier", field);
    }
  }
  return out;
}

bool SlaConditions::matches(const Ticket& t, const std::optional<std::string>& tier) const {
  if (!any_or_in(priorities, t.priority) || !any_or_in(types, t.type)) return false;
  if (!departments.empty() && (!t.department_id || !any_or_in(departments, *t.department_id)))
    return false;
  return tiers.empty() || (tier && any_or_in(tiers, *tier));
}

}  // namespace gongdan
