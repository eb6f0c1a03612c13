#include "domain/oidc_provider.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace gongdan {
namespace {

namespace json = boost::json;

bool claim_holds(const json::value* claim, std::string_view value) {
  if (!claim) return false;
  if (claim->is_string()) return claim->as_string() == value;
  if (!claim->is_array()) return false;
  const auto& list = claim->as_array();
  return std::any_of(list.begin(), list.end(),
                     [&](const json::value& v) { return v.is_string() && v.as_string() == value; });
}

Result<void> claim_mapping_error(std::size_t i, std::string_view member, std::string_view message) {
  return fail(ErrorCode::kInvalidArgument, std::string(message),
              "mappings[" + std::to_string(i) + "]." + std::string(member));
}

bool short_claim_text(const json::value* v) {
  return v && v->is_string() && !v->as_string().empty() && v->as_string().size() <= 200;
}

}  // namespace

std::optional<MappedAccount> map_claims(const OidcProvider& provider, const json::object& claims) {
  return map_values(provider.mappings, "claim", provider.unmapped, claims);
}

std::optional<MappedAccount> map_values(const json::value& mappings, std::string_view key,
                                        UnmappedPolicy unmapped, const json::object& claims) {
  std::optional<MappedAccount> out;
  if (const auto* list = mappings.if_array()) {
    for (const auto& entry : *list) {
      const auto* o = entry.if_object();
      if (!o || !short_claim_text(o->if_contains(key)) ||
          !short_claim_text(o->if_contains("value")))
        continue;
      const auto* role_value = o->if_contains("role");
      const auto role = role_value && role_value->is_string() ? parse_role(role_value->as_string())
                                                              : std::nullopt;
      if (!role ||
          !claim_holds(claims.if_contains(o->at(key).as_string()), o->at("value").as_string()))
        continue;
      if (!out) out = MappedAccount{*role, {}};
      out->role = std::min(out->role, *role);  // Role's order is highest first
      if (const auto* d = o->if_contains("departments"); d && d->is_array())
        for (const auto& id : d->as_array())
          if (id.is_int64()) out->departments.push_back(id.as_int64());
    }
  }
  if (!out)
    return unmapped == UnmappedPolicy::kCustomer ? std::optional(MappedAccount{}) : std::nullopt;
  std::sort(out->departments.begin(), out->departments.end());
  out->departments.erase(std::unique(out->departments.begin(), out->departments.end()),
                         out->departments.end());
  if (!is_agent_role(out->role)) out->departments.clear();
  return out;
}

Result<void> check_claim_mappings(const json::value& mappings) {
  return check_value_mappings(mappings, "claim");
}

Result<void> check_value_mappings(const json::value& mappings, std::string_view source) {
  const MappingMatch matches[] = {{source, 200, "a name is required"},
                                  {"value", 200, "the value to match is required"}};
  return check_role_mappings(mappings, matches, claim_mapping_error);
}

}  // namespace gongdan
