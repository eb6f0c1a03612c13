// OpenID Connect's token formats, read without trusting them: a compact JWS (the ID token), a
// JWK set (the provider's public keys) and a discovery document. Pure: the signature itself is
// checked with OpenSSL by channels/identity; this module finds the bytes it covers, the key it
// names, and whether the claims are the ones this sign-in expects. Every reader takes any bytes
// and answers kInvalidArgument for what it cannot use (fuzzed: tests/fuzz/jwt).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace gongdan {

inline constexpr std::size_t kMaxJwtLength = 16 * 1024;
inline constexpr std::size_t kMaxJwksLength = 256 * 1024;

// base64url without padding (RFC 7515 §2); nullopt for any other character or a bad length.
std::optional<std::string> base64url_decode(std::string_view text);
std::string base64url_encode(std::string_view bytes);

// A compact JWS: header.payload.signature, each part base64url.
struct Jwt {
  std::string alg;  // RS256 or ES256: the only two accepted
  std::string kid;  // may be empty
  boost::json::object claims;
  std::string signing_input;  // the first two parts as sent, which the signature covers
  std::string signature;      // decoded
};
Result<Jwt> parse_jwt(std::string_view compact);

// A public key of the provider's JWK set, its numbers decoded to big-endian bytes.
struct Jwk {
  std::string kid;
  std::string kty;        // RSA or EC
  std::string alg;        // may be empty
  std::string n, e;       // RSA
  std::string crv, x, y;  // EC (P-256 only)
};
// The signing keys of a JWK set; keys of other types or uses, or malformed ones, are skipped.
Result<std::vector<Jwk>> parse_jwks(std::string_view body);
// The key that signed `token`: by kid, or the only key of its type when the token names none.
const Jwk* find_key(const std::vector<Jwk>& keys, const Jwt& token);

// The endpoints a provider publishes at <issuer>/.well-known/openid-configuration. Its issuer
// must be the one configured, exactly (OpenID Connect Discovery §4.3).
struct Discovery {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::string userinfo_endpoint;  // may be empty
};
Result<Discovery> parse_discovery(std::string_view body, std::string_view expected_issuer);

// What an ID token must say for this sign-in (OpenID Connect Core §3.1.3.7).
struct IdTokenExpectation {
  std::string issuer;
  std::string client_id;
  std::string nonce;
  std::int64_t now_seconds = 0;
  std::int64_t skew_seconds = 120;
};
// iss, aud (and azp when several audiences), exp, iat, nonce and sub; the error says which.
Result<void> check_id_token_claims(const boost::json::object& claims,
                                   const IdTokenExpectation& expected);

}  // namespace gongdan
