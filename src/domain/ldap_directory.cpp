#include "domain/ldap_directory.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include <cctype>

namespace gongdan {
namespace {

namespace json = boost::json;

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

Result<void> mapping_error(std::size_t i, std::string_view member, std::string_view message) {
  return fail(
      ErrorCode::kInvalidArgument, std::string(message),
      "mappings[" + std::to_string(i) + "]" + (member.empty() ? "" : "." + std::string(member)));
}

}  // namespace

std::string_view unmapped_policy_name(UnmappedPolicy policy) {
  return policy == UnmappedPolicy::kCustomer ? "customer" : "refuse";
}

std::optional<UnmappedPolicy> parse_unmapped_policy(std::string_view name) {
  if (name == "refuse") return UnmappedPolicy::kRefuse;
  if (name == "customer") return UnmappedPolicy::kCustomer;
  return std::nullopt;
}

std::string DirectoryEntry::first(std::string_view name) const {
  for (const auto& [key, values] : attributes)
    if (same_name(key, name) && !values.empty()) return values.front();
  return {};
}

std::vector<std::string> DirectoryEntry::all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [key, values] : attributes)
    if (same_name(key, name)) out.insert(out.end(), values.begin(), values.end());
  return out;
}

std::string escape_filter_value(std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(value.size());
  for (char ch : value) {
    if (ch == '*' || ch == '(' || ch == ')' || ch == '\\' || ch == '\0') {
      const auto byte = static_cast<unsigned char>(ch);
      out += '\\';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    } else {
      out += ch;
    }
  }
  return out;
}

std::string fill_filter(std::string_view pattern, std::string_view name, std::string_view value) {
  const std::string placeholder = "{" + std::string(name) + "}";
  const std::string escaped = escape_filter_value(value);
  std::string out;
  std::size_t at = 0;
  while (true) {
    const auto next = pattern.find(placeholder, at);
    if (next == std::string_view::npos) break;
    out.append(pattern.substr(at, next - at));
    out += escaped;
    at = next + placeholder.size();
  }
  out.append(pattern.substr(at));
  return out;
}

std::string normalize_dn(std::string_view dn) {
  std::string out;
  out.reserve(dn.size());
  bool after_separator = false;
  for (char ch : dn) {
    if (after_separator && ch == ' ') continue;
    after_separator = ch == ',';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::optional<MappedAccount> map_groups(const LdapDirectory& directory,
                                        const std::vector<std::string>& group_dns) {
  std::vector<std::string> held;
  for (const auto& dn : group_dns) held.push_back(normalize_dn(dn));
  std::optional<MappedAccount> out;
  if (!directory.mappings.is_array()) return std::nullopt;
  for (const auto& entry : directory.mappings.as_array()) {
    const auto* o = entry.if_object();
    if (!o) continue;
    const auto* group = o->if_contains("group");
    const auto* role_value = o->if_contains("role");
    if (!group || !group->is_string() || !role_value || !role_value->is_string()) continue;
    if (std::find(held.begin(), held.end(), normalize_dn(group->as_string())) == held.end())
      continue;
    const auto role = parse_role(role_value->as_string());
    if (!role) continue;
    if (!out) out = MappedAccount{*role, {}};
    out->role = std::min(out->role, *role);  // Role's order is highest first
    if (const auto* departments = o->if_contains("departments");
        departments && departments->is_array())
      for (const auto& d : departments->as_array())
        if (d.is_int64()) out->departments.push_back(d.as_int64());
  }
  if (out) {
    std::sort(out->departments.begin(), out->departments.end());
    out->departments.erase(std::unique(out->departments.begin(), out->departments.end()),
                           out->departments.end());
    if (!is_agent_role(out->role)) out->departments.clear();
    return out;
  }
  if (directory.unmapped == UnmappedPolicy::kCustomer) return MappedAccount{};
  return std::nullopt;
}

Result<void> check_mappings(const json::value& mappings) {
  static constexpr MappingMatch kGroup[] = {{"group", 1000, "a group's DN is required"}};
  return check_role_mappings(mappings, kGroup, mapping_error);
}

Result<void> check_role_mappings(const json::value& mappings, std::span<const MappingMatch> matches,
                                 MappingError error) {
  if (!mappings.is_array()) return fail(ErrorCode::kInvalidArgument, "must be a list", "mappings");
  const auto& list = mappings.as_array();
  if (list.size() > 100) return fail(ErrorCode::kInvalidArgument, "at most 100", "mappings");
  const auto known = [&](std::string_view key) {
    return key == "role" || key == "departments" ||
           std::any_of(matches.begin(), matches.end(),
                       [&](const MappingMatch& m) { return m.member == key; });
  };
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto* o = list[i].if_object();
    if (!o) return error(i, "", "must be an object");
    for (const auto& [key, value] : *o)
      if (!known(key)) return error(i, key, "unknown member");
    for (const auto& m : matches) {
      const auto* text = o->if_contains(m.member);
      if (!text || !text->is_string() || text->as_string().empty() ||
          text->as_string().size() > m.max)
        return error(i, m.member, m.missing);
    }
    const auto* role = o->if_contains("role");
    if (!role || !role->is_string() || !parse_role(role->as_string()))
      return error(i, "role", "must be admin, supervisor, agent, light_agent or customer");
    if (const auto* departments = o->if_contains("departments")) {
      const auto* ids = departments->if_array();
      if (!ids || ids->size() > 100 ||
          std::any_of(ids->begin(), ids->end(),
                      [](const json::value& d) { return !d.is_int64() || d.as_int64() <= 0; }))
        return error(i, "departments", "must be a list of department ids");
    }
  }
  return {};
}

}  // namespace gongdan
