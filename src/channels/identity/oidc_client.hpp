// HTTP to OpenID Connect providers and the ID token's signature check, for
// services/oidc_service.hpp: libcurl (one request per call, a timeout on the whole exchange, no
// redirects followed, answers over 1 MiB refused) and OpenSSL (RS256 with an RSA key of 2048
// bits or more, ES256 on P-256 with the JWS's raw r||s turned into the DER OpenSSL reads).
#pragma once

#include "services/oidc_service.hpp"

namespace gongdan::channels {

class OidcClient : public services::IdentityProviderClient {
 public:
  explicit OidcClient(long timeout_seconds = 10) : timeout_seconds_(timeout_seconds) {}

  Result<services::HttpReply> get(std::string_view url, std::string_view bearer_token) override;
  Result<services::HttpReply> post_form(
      std::string_view url, const std::vector<std::pair<std::string, std::string>>& form,
      std::string_view user, std::string_view password) override;
  bool verify_signature(const Jwk& key, const Jwt& token) override;

 private:
  Result<services::HttpReply> exchange(std::string_view url, const std::string* form_body,
                                       std::string_view bearer_token, std::string_view user,
                                       std::string_view password);
  long timeout_seconds_;
};

}  // namespace gongdan::channels
