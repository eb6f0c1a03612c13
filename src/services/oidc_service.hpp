// Sign-in through OpenID Connect providers (the resource `oidc-providers`): the authorization
// code flow with PKCE (S256), state and nonce. start() sends the browser to the provider with a
// fresh state bound to a cookie on that browser; finish() takes the state back once, trades the
// code for tokens at the token endpoint, checks the ID token (signature against the provider's
// JWKS, refetched when a token names a key not seen yet, so the provider may rotate keys; iss,
// aud, exp, iat with two minutes' skew, nonce), maps its claims to a role and departments, and
// signs the account in (made just in time when the provider allows it). Discovery documents
// and JWK sets are cached per provider until it is edited, for an hour at most.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/jwt.hpp"
#include "domain/oidc_provider.hpp"
#include "domain/resource.hpp"
#include "services/auth_service.hpp"
#include "services/credential_cache.hpp"
#include "services/secret_box.hpp"
#include "services/sign_in_provider.hpp"
#include "services/store_fwd.hpp"

namespace gongdan::services {

class Directory;
class Resources;

struct HttpReply {
  long status = 0;
  std::string body;
};

// HTTP to the provider and the signature check; channels/identity/oidc_client implements both
// with libcurl and OpenSSL. get/post_form fail with kUnavailable when the provider cannot be
// reached; any HTTP status is an answer.
class IdentityProviderClient {
 public:
  virtual ~IdentityProviderClient() = default;
  virtual Result<HttpReply> get(std::string_view url, std::string_view bearer_token) = 0;
  // An application/x-www-form-urlencoded POST, with HTTP Basic credentials when `user` is set.
  virtual Result<HttpReply> post_form(std::string_view url,
                                      const std::vector<std::pair<std::string, std::string>>& form,
                                      std::string_view user, std::string_view password) = 0;
  // Whether `token`'s signature over its signing input is `key`'s.
  virtual bool verify_signature(const Jwk& key, const Jwt& token) = 0;
};

struct OidcStart {
  std::string authorization_url;  // where the browser goes
  std::string browser_cookie;     // set on the browser; must come back with the state
};

inline constexpr Millis kOidcLoginLifetimeMs = 10 * 60 * 1000;

const Resource<OidcProvider>& oidc_provider_resource();

class OidcService {
 public:
  OidcService(store::Database& db, const Clock& clock, const SecretBox& secrets,
              IdentityProviderClient& client, AuthService& auth, CredentialCache& cache,
              Directory& directory);

  void add_to(Resources& resources);

  Result<std::vector<SignInButton>> buttons();
  // `redirect_uri` is this server's callback as the provider knows it; `return_to` a path here.
  Result<OidcStart> start(std::int64_t provider_id, std::string_view redirect_uri,
                          std::string_view return_to);
  // The provider's answer (code and state, or its error) and the browser's cookie.
  SignInFinish finish(std::string_view state, std::string_view code, std::string_view error,
                      std::string_view browser_cookie, std::string_view ip);

 private:
  struct Cached {
    Millis version = 0;  // the provider's updated_at
    Discovery discovery;
    std::vector<Jwk> keys;
    std::chrono::steady_clock::time_point fetched{};
    std::chrono::steady_clock::time_point keys_refetched{};
  };
  Result<Cached> provider_metadata(const OidcProvider& p, bool refetch_keys);
  Result<std::vector<Jwk>> fetch_keys(const OidcProvider& p, const Discovery& d);
  Result<SignedIn> complete(const OidcProvider& p, const std::string& code,
                            const std::string& nonce, const std::string& verifier,
                            const std::string& redirect_uri, std::string_view ip);
  Result<boost::json::object> redeem_code(const OidcProvider& p, const Discovery& d,
                                          const std::string& code, const std::string& verifier,
                                          const std::string& redirect_uri);
  Result<boost::json::object> checked_claims(const OidcProvider& p, const std::string& id_token,
                                             const std::string& nonce);
  Result<void> add_userinfo(const Discovery& d, const std::string& access_token,
                            boost::json::object& claims);

  store::Database& db_;
  const Clock& clock_;
  const SecretBox& secrets_;
  IdentityProviderClient& client_;
  ProviderSignIn sign_in_;
  std::mutex mutex_;
  std::map<std::int64_t, Cached> cached_;  // guarded by mutex_
};

}  // namespace gongdan::services
