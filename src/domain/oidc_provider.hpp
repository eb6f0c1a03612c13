// An OpenID Connect provider that people sign in through (services/oidc_service.hpp): where it
// is, this server's client at it, and which claims give which role and departments. Pure values
// and the mapping rule; the token formats are domain/jwt.hpp.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "domain/ldap_directory.hpp"
#include "util/clock.hpp"

namespace gongdan {

struct OidcProvider {
  std::int64_t id = 0;
  std::string name;
  bool active = true;
  std::string issuer;  // https://login.example.com (the discovery document's issuer, exactly)
  std::string client_id;
  std::string client_secret;  // sealed
  std::vector<std::string> scopes{"openid", "email", "profile"};
  // [{"claim": "groups", "value": "support", "role": "agent", "departments": [1]}]
  boost::json::value mappings = boost::json::array{};
  UnmappedPolicy unmapped = UnmappedPolicy::kRefuse;
  bool create_accounts = true;  // just in time, on a first sign-in
  bool use_userinfo = false;    // ask the userinfo endpoint for claims the ID token lacks
  std::string button_en;
  std::string button_zh;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// What the claims give: the highest role of the mappings whose claim holds the value (a string
// equal to it, or a list containing it) and the union of their departments; an empty mapping
// list or no match follows `unmapped`.
std::optional<MappedAccount> map_claims(const OidcProvider& provider,
                                        const boost::json::object& claims);

// Checks the mappings' shape; the error names the entry ("mappings[1].claim").
Result<void> check_claim_mappings(const boost::json::value& mappings);

// The same two over any list of mappings whose entries name what they match with `source`
// ("claim" here, "attribute" for SAML): `values` holds a string or a list of strings by name.
std::optional<MappedAccount> map_values(const boost::json::value& mappings, std::string_view source,
                                        UnmappedPolicy unmapped, const boost::json::object& values);
Result<void> check_value_mappings(const boost::json::value& mappings, std::string_view source);

}  // namespace gongdan
