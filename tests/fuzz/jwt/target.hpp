// OpenID Connect's token formats as the fuzzer drives them (domain/jwt.hpp): the same bytes as
// a compact JWS, a JWK set, a discovery document and claims, then the module's promises
// checked: only kInvalidArgument for bad input, an accepted token's algorithm is RS256 or
// ES256, keys have the sizes their type needs, and base64url round-trips. Shared with the unit
// test that replays the seed corpus.
#pragma once

#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/jwt.hpp"
#include "domain/oauth_token.hpp"

namespace gongdan::fuzz {

inline std::string run_jwt(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto token = parse_jwt(input);
  if (!token && token.error().code != ErrorCode::kInvalidArgument) return "jwt: not a 400";
  if (token && token->alg != "RS256" && token->alg != "ES256") return "jwt: an algorithm";
  auto keys = parse_jwks(input);
  if (!keys && keys.error().code != ErrorCode::kInvalidArgument) return "jwks: not a 400";
  if (keys)
    for (const auto& k : *keys)
      if ((k.kty == "RSA" && k.n.size() < 256) || (k.kty == "EC" && k.x.size() != 32))
        return "jwks: a key of the wrong size";
  if (token && keys) (void)find_key(*keys, *token);
  auto discovery = parse_discovery(input, "https://issuer.example");
  if (discovery && discovery->issuer != "https://issuer.example") return "discovery: an issuer";
  boost::system::error_code ec;
  auto value = boost::json::parse(input, ec);
  if (!ec && value.is_object()) {
    const IdTokenExpectation expected{"https://issuer.example", "client", "n", 1700000000, 120};
    auto checked = check_id_token_claims(value.as_object(), expected);
    if (!checked && checked.error().code != ErrorCode::kInvalidArgument) return "claims: not a 400";
  }
  if (base64url_decode(base64url_encode(input)) != std::string(input)) return "base64url";
  // The token endpoint's answer to a mailbox's refresh (XOAUTH2): a refusal or a usable token.
  auto tokens = read_oauth_token_answer(size % 2 ? 200 : 400, input);
  if (!tokens && tokens.error().code != ErrorCode::kUnauthenticated &&
      tokens.error().code != ErrorCode::kUnavailable)
    return "oauth token answer: another error";
  if (tokens) {
    if (tokens->access_token.empty() || tokens->expires_in_seconds <= 0 ||
        tokens->expires_in_seconds > 86400)
      return "oauth token answer: a token or lifetime out of bounds";
    for (unsigned char c : tokens->access_token + tokens->refresh_token)
      if (c < 0x21 || c > 0x7e) return "oauth token answer: a control character";
  }
  return "";
}

}  // namespace gongdan::fuzz
