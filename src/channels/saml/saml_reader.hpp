// SAML 2.0 messages through liblasso, as the service provider: the AuthnRequest for the
// HTTP-Redirect binding, the Response posted back (its XML parsed and its signature, on the
// Response or on the Assertion, checked against the IdP's certificate by lasso; what it says is
// then checked by domain/saml.hpp's check_assertion), and an IdP's metadata read for its
// entityID, SSO URL and signing certificate. Its own library (gongdan_saml: util, domain,
// liblasso, OpenSSL), fuzzed on read_saml_response. Thread-safe: every call builds its own
// lasso objects (lasso is initialised once).
#pragma once

#include <string>
#include <string_view>

#include "domain/saml.hpp"
#include "util/result.hpp"

namespace gongdan::channels::saml {

struct AuthnRequest {
  std::string url;  // the IdP's SSO URL with SAMLRequest and RelayState
  std::string id;   // the request's ID, which the Response's InResponseTo must name
};

Result<AuthnRequest> make_authn_request(const SamlServiceProvider& sp, const SamlProvider& idp,
                                        std::string_view relay_state);

// `posted` is the SAMLResponse form value (base64). kUnauthenticated: not a SAML Response, not
// signed by `idp`'s certificate, not a success, no assertion or several, or encrypted (not
// supported).
Result<SamlAssertion> read_saml_response(const SamlServiceProvider& sp, const SamlProvider& idp,
                                         std::string_view posted);

// kInvalidArgument with the field: the metadata names no IdP, no HTTP-Redirect SSO service or
// no signing certificate. Fills entity_id, sso_url and certificate (PEM).
Result<void> read_idp_metadata(SamlProvider& idp);

// kInvalidArgument unless `pem` is one X.509 certificate in PEM.
Result<void> check_certificate(std::string_view pem);

}  // namespace gongdan::channels::saml
