// SAML 2.0 sign-in as a service provider (services/saml_service.hpp): the identity providers
// admins declare, what a Response says once its signature is checked (channels/saml reads it
// with liblasso), and the checks of what it says that need no XML: audience, destination,
// recipient, the request it answers and its validity window. Also the two metadata documents
// this side writes: ours, and an IdP's from the three settings an admin types.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/ldap_directory.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan {

struct SamlProvider {
  std::int64_t id = 0;
  std::string name;
  bool active = true;
  std::string entity_id;    // the IdP's entityID
  std::string sso_url;      // its SingleSignOnService for the HTTP-Redirect binding
  std::string certificate;  // the IdP's signing certificate, PEM
  std::string metadata;     // the IdP's metadata as an admin pasted it (sets the three above)
  std::string email_attribute = "email";  // empty: the NameID is the email address
  std::string name_attribute = "displayName";
  // [{"attribute": "groups", "value": "support", "role": "agent", "departments": [1]}]
  boost::json::value mappings = boost::json::array{};
  UnmappedPolicy unmapped = UnmappedPolicy::kRefuse;
  bool create_accounts = true;
  std::string button_en;
  std::string button_zh;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// This server as a service provider: its entityID (also the URL of its metadata) and its
// Assertion Consumer Service.
struct SamlServiceProvider {
  std::string entity_id;
  std::string acs_url;
};

// What a Response whose signature checked says (channels/saml/saml_reader.hpp). Times are
// as written (xs:dateTime); empty when absent.
struct SamlAssertion {
  std::string response_id;
  std::string destination;     // the Response's Destination
  std::string in_response_to;  // the Response's InResponseTo
  std::string assertion_id;
  std::string issuer;  // the assertion's Issuer
  std::string name_id;
  std::vector<std::string> audiences;
  std::string not_before;       // Conditions
  std::string not_on_or_after;  // Conditions
  std::string recipient;        // SubjectConfirmationData
  std::string confirmation_in_response_to;
  std::string confirmation_not_on_or_after;
  std::map<std::string, std::vector<std::string>> attributes;
};

struct SamlExpectation {
  SamlServiceProvider sp;
  std::string idp_entity_id;
  std::string request_id;  // the ID of the AuthnRequest this must answer
  Millis now = 0;
  Millis skew = 2 * 60 * 1000;
};

inline constexpr std::size_t kMaxSamlResponseBytes = 256 * 1024;

// kUnauthenticated naming what is wrong: another audience, destination or recipient, not the
// request we sent (or none: unsolicited), not yet valid or expired (beyond `skew`).
Result<void> check_assertion(const SamlAssertion& a, const SamlExpectation& expected);

// An xs:dateTime in UTC ("2026-12-07T03:30:00Z", fractions allowed) as milliseconds.
std::optional<Millis> parse_saml_time(std::string_view text);

// The attributes as the mapping rule reads them ({name: [values]}), and the account they give.
boost::json::object saml_attribute_values(const SamlAssertion& a);
std::optional<MappedAccount> map_saml_attributes(const SamlProvider& p, const SamlAssertion& a);
// The email address and name the provider's settings read from the assertion.
std::string saml_email(const SamlProvider& p, const SamlAssertion& a);
std::string saml_name(const SamlProvider& p, const SamlAssertion& a);

// Our metadata: entityID, the POST-binding ACS, no signing of requests, signed assertions wanted.
std::string saml_sp_metadata(const SamlServiceProvider& sp);
// An IdP's metadata from its entityID, SSO URL and PEM certificate (what liblasso loads).
std::string saml_idp_metadata(const SamlProvider& p);

}  // namespace gongdan
