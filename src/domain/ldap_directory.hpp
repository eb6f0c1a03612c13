// An LDAP or Active Directory server that people sign in against (services/ldap_service.hpp):
// how to reach it, how to find a person in it, and which of its groups give which role and
// departments. Pure values and the rules that need no server: escaping a typed login into a
// search filter, and reading a person's groups into an account.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/user.hpp"
#include "util/clock.hpp"

namespace gongdan {

// Who signs in when none of their groups is mapped.
enum class UnmappedPolicy { kRefuse, kCustomer };
std::string_view unmapped_policy_name(UnmappedPolicy policy);
std::optional<UnmappedPolicy> parse_unmapped_policy(std::string_view name);

struct LdapDirectory {
  std::int64_t id = 0;
  std::string name;
  bool active = true;
  std::string url;  // ldap://host:389 or ldaps://host:636
  bool start_tls = false;
  std::string bind_dn;        // the service account; empty: an anonymous search
  std::string bind_password;  // sealed
  std::string base_dn;
  // {login} is replaced by what the person typed, escaped (RFC 4515).
  std::string user_filter = "(&(objectClass=inetOrgPerson)(mail={login}))";
  std::string email_attribute = "mail";
  std::string name_attribute = "cn";
  // Groups whose members include the person: {dn} is the person's DN. A person's memberOf
  // values (Active Directory, or slapd's memberof overlay) count as well.
  std::string group_filter = "(&(objectClass=groupOfNames)(member={dn}))";
  // [{"group": "<group DN>", "role": "agent", "departments": [1, 2]}]
  boost::json::value mappings = boost::json::array{};
  UnmappedPolicy unmapped = UnmappedPolicy::kRefuse;
  std::int64_t sync_minutes = 60;      // 0: no sync
  std::optional<Millis> last_sync_at;  // none: never synced
  std::string last_sync_result;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// One entry a directory answered with: its DN and the values of the attributes asked for.
struct DirectoryEntry {
  std::string dn;
  std::vector<std::pair<std::string, std::vector<std::string>>> attributes;
  // The first value of `name` (case-insensitive), or empty.
  std::string first(std::string_view name) const;
  std::vector<std::string> all(std::string_view name) const;
};

// A value escaped for a search filter: * ( ) \ and NUL as \2a \28 \29 \5c \00 (RFC 4515).
std::string escape_filter_value(std::string_view value);
// `pattern` with every `{name}` replaced by `value` escaped.
std::string fill_filter(std::string_view pattern, std::string_view name, std::string_view value);
// DNs compare without case and without spaces after commas.
std::string normalize_dn(std::string_view dn);

// What the directory's groups make of a person: the highest role among their mapped groups
// (admin > supervisor > agent > light agent > customer) and the union of their departments;
// nullopt when no group is mapped and the directory refuses such people.
struct MappedAccount {
  Role role = Role::kCustomer;
  std::vector<std::int64_t> departments;
};
std::optional<MappedAccount> map_groups(const LdapDirectory& directory,
                                        const std::vector<std::string>& group_dns);

// Checks the mappings' shape; the error names the entry ("mappings[1].role").
Result<void> check_mappings(const boost::json::value& mappings);

// What a role mapping matches with, besides its role and departments (LDAP's "group", OIDC's
// "claim" and "value"): a member holding text of 1 to `max` characters; `missing` says so.
struct MappingMatch {
  std::string_view member;
  std::size_t max = 0;
  std::string_view missing;
};
// The error of entry `i`'s member (empty: the entry itself), as each kind of mapping names it.
using MappingError = Result<void> (*)(std::size_t i, std::string_view member,
                                      std::string_view message);
// Checks a list of role mappings, the shape LDAP directories and sign-in providers share: at
// most 100 objects, each with the `matches`, a role and optionally a list of department ids,
// and no other member.
Result<void> check_role_mappings(const boost::json::value& mappings,
                                 std::span<const MappingMatch> matches, MappingError error);

}  // namespace gongdan
