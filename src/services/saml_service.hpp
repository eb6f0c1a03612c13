// Sign-in through SAML 2.0 identity providers (the resource `saml-providers`), as a service
// provider: start() sends the browser to the IdP with an AuthnRequest (HTTP-Redirect binding)
// and a fresh RelayState; finish() takes the Response the browser posts back (HTTP-POST
// binding): the RelayState names the request it must answer, its signature (on the Response or
// the Assertion) must be the IdP's certificate's, and the assertion must be for our entity ID
// and ACS, answer that request, be within its validity window (two minutes' skew) and be new
// (a replayed assertion ID is refused). Then the attributes give an email, a name, a role and
// departments, and the account signs in (made just in time when the provider allows it).
// The XML and signatures are channels/saml's (liblasso), behind SamlProtocol.
#pragma once

#include <string>
#include <vector>

#include "domain/resource.hpp"
#include "domain/saml.hpp"
#include "services/auth_service.hpp"
#include "services/credential_cache.hpp"
#include "services/sign_in_provider.hpp"
#include "services/store_fwd.hpp"

namespace gongdan::services {

class Directory;
class Resources;

struct SamlRequest {
  std::string url;  // the IdP's SSO URL with SAMLRequest and RelayState
  std::string id;   // the AuthnRequest's ID
};

// channels/identity/saml_client implements it with liblasso (channels/saml).
class SamlProtocol {
 public:
  virtual ~SamlProtocol() = default;
  virtual Result<SamlRequest> authn_request(const SamlServiceProvider& sp, const SamlProvider& idp,
                                            std::string_view relay_state) = 0;
  // The posted SAMLResponse, its signature checked; kUnauthenticated saying why not.
  virtual Result<SamlAssertion> read_response(const SamlServiceProvider& sp,
                                              const SamlProvider& idp, std::string_view posted) = 0;
  // Sets entity_id, sso_url and certificate from idp.metadata; kInvalidArgument naming a field.
  virtual Result<void> read_metadata(SamlProvider& idp) = 0;
  virtual Result<void> check_certificate(std::string_view pem) = 0;
};

inline constexpr Millis kSamlLoginLifetimeMs = 10 * 60 * 1000;

const Resource<SamlProvider>& saml_provider_resource();

class SamlService {
 public:
  SamlService(store::Database& db, const Clock& clock, SamlProtocol& protocol, AuthService& auth,
              CredentialCache& cache, Directory& directory);

  void add_to(Resources& resources);

  Result<std::vector<SignInButton>> buttons();
  // The IdP's SSO URL to send the browser to; `return_to` is a path here.
  Result<std::string> start(std::int64_t provider_id, const SamlServiceProvider& sp,
                            std::string_view return_to);
  // The posted SAMLResponse and RelayState. Every failure is audited (auth.saml_failed).
  SignInFinish finish(const SamlServiceProvider& sp, std::string_view posted,
                      std::string_view relay_state, std::string_view ip);

 private:
  Result<SignedIn> complete(const SamlProvider& p, const SamlAssertion& a,
                            const std::string& relay_hash, std::string_view ip);
  Result<void> check_settings(SamlProvider& p);

  store::Database& db_;
  const Clock& clock_;
  SamlProtocol& protocol_;
  ProviderSignIn sign_in_;
};

}  // namespace gongdan::services
