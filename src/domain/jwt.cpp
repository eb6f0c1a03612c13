#include "domain/jwt.hpp"

#include <boost/json.hpp>

#include "util/encoding.hpp"

namespace gongdan {
namespace {

namespace json = boost::json;

Result<void> token_invalid(std::string message) {
  return fail(ErrorCode::kInvalidArgument, std::move(message));
}

std::optional<json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

std::string string_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// A JWK member holding a number in base64url; empty when absent or malformed.
std::string decoded_member(const json::object& o, std::string_view key) {
  return base64url_decode(string_member(o, key)).value_or("");
}

std::optional<Jwk> read_key(const json::object& o) {
  Jwk k{string_member(o, "kid"),
        string_member(o, "kty"),
        string_member(o, "alg"),
        {},
        {},
        {},
        {},
        {}};
  if (const auto use = string_member(o, "use"); !use.empty() && use != "sig") return std::nullopt;
  if (k.kty == "RSA") {
    k.n = decoded_member(o, "n");
    k.e = decoded_member(o, "e");
    if (k.n.size() < 256 || k.n.size() > 1024 || k.e.empty() || k.e.size() > 8)
      return std::nullopt;  // under 2048 bits is too weak to trust
  } else if (k.kty == "EC") {
    k.crv = string_member(o, "crv");
    k.x = decoded_member(o, "x");
    k.y = decoded_member(o, "y");
    if (k.crv != "P-256" || k.x.size() != 32 || k.y.size() != 32) return std::nullopt;
  } else {
    return std::nullopt;
  }
  return k;
}

// A claim that holds seconds since 1970 (a JSON number, whole or not).
std::optional<std::int64_t> seconds_claim(const json::object& claims, std::string_view key) {
  const auto* v = claims.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() < (1ULL << 62))
    return static_cast<std::int64_t>(v->as_uint64());
  if (v->is_double() && v->as_double() > -1e15 && v->as_double() < 1e15)
    return static_cast<std::int64_t>(v->as_double());
  return std::nullopt;
}

Result<void> check_audience(const json::object& claims, const std::string& client_id) {
  const auto* aud = claims.if_contains("aud");
  if (!aud) return token_invalid("the ID token names no audience");
  if (aud->is_string()) {
    if (aud->as_string() != client_id)
      return token_invalid("the ID token is meant for another client");
    return {};
  }
  if (!aud->is_array()) return token_invalid("the ID token's audience is malformed");
  bool listed = false;
  for (const auto& a : aud->as_array())
    listed = listed || (a.is_string() && a.as_string() == client_id);
  if (!listed) return token_invalid("the ID token is meant for another client");
  // With several audiences the party it was issued to must be us (Core §3.1.3.7 item 5).
  if (aud->as_array().size() > 1 && string_member(claims, "azp") != client_id)
    return token_invalid("the ID token was issued to another client");
  return {};
}

}  // namespace

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t bits = 0;
  int count = 0;
  for (char ch : text) {
    const int v = encoding::base64_digit(ch, '-', '_');
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xff);
    }
  }
  if ((bits & ((1u << count) - 1)) != 0) return std::nullopt;  // leftover bits must be zero
  return out;
}

std::string base64url_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (char ch : bytes) {
    bits = (bits << 8) | static_cast<unsigned char>(ch);
    count += 8;
    while (count >= 6) {
      count -= 6;
      out += kAlphabet[(bits >> count) & 63];
    }
  }
  if (count > 0) out += kAlphabet[(bits << (6 - count)) & 63];
  return out;
}

Result<Jwt> parse_jwt(std::string_view compact) {
  if (compact.size() > kMaxJwtLength)
    return fail(ErrorCode::kInvalidArgument, "the ID token is too long");
  const auto first = compact.find('.');
  const auto second = first == std::string_view::npos ? first : compact.find('.', first + 1);
  if (second == std::string_view::npos || compact.find('.', second + 1) != std::string_view::npos)
    return fail(ErrorCode::kInvalidArgument, "the ID token is not a signed JWT");
  const auto header_text = base64url_decode(compact.substr(0, first));
  const auto claims_text = base64url_decode(compact.substr(first + 1, second - first - 1));
  auto signature = base64url_decode(compact.substr(second + 1));
  if (!header_text || !claims_text || !signature)
    return fail(ErrorCode::kInvalidArgument, "the ID token is not base64url");
  auto header = parse_object(*header_text);
  auto claims = parse_object(*claims_text);
  if (!header || !claims)
    return fail(ErrorCode::kInvalidArgument,
                "the ID token's header or claims are not JSON objects");
  Jwt out{string_member(*header, "alg"), string_member(*header, "kid"), std::move(*claims),
          std::string(compact.substr(0, second)), std::move(*signature)};
  if (out.alg != "RS256" && out.alg != "ES256")
    return fail(ErrorCode::kInvalidArgument, "the ID token is signed with " +
                                                 (out.alg.empty() ? "nothing" : out.alg) +
                                                 "; RS256 or ES256 expected");
  if (header->contains("crit"))
    return fail(ErrorCode::kInvalidArgument, "the ID token has critical header members");
  return out;
}

Result<std::vector<Jwk>> parse_jwks(std::string_view body) {
  if (body.size() > kMaxJwksLength)
    return fail(ErrorCode::kInvalidArgument, "the JWK set is too long");
  auto set = parse_object(body);
  const auto* keys = set ? set->if_contains("keys") : nullptr;
  if (!keys || !keys->is_array())
    return fail(ErrorCode::kInvalidArgument, "the JWK set has no list of keys");
  std::vector<Jwk> out;
  for (const auto& k : keys->as_array())
    if (const auto* o = k.if_object())
      if (auto key = read_key(*o)) out.push_back(std::move(*key));
  return out;
}

const Jwk* find_key(const std::vector<Jwk>& keys, const Jwt& token) {
  const std::string kty = token.alg == "ES256" ? "EC" : "RSA";
  const Jwk* only = nullptr;
  int of_type = 0;
  for (const auto& k : keys) {
    if (k.kty != kty || (!k.alg.empty() && k.alg != token.alg)) continue;
    if (!token.kid.empty() && k.kid == token.kid) return &k;
    ++of_type;
    only = &k;
  }
  return token.kid.empty() && of_type == 1 ? only : nullptr;
}

Result<Discovery> parse_discovery(std::string_view body, std::string_view expected_issuer) {
  if (body.size() > kMaxJwksLength)
    return fail(ErrorCode::kInvalidArgument, "the discovery document is too long");
  auto o = parse_object(body);
  if (!o) return fail(ErrorCode::kInvalidArgument, "the discovery document is not a JSON object");
  Discovery d{string_member(*o, "issuer"), string_member(*o, "authorization_endpoint"),
              string_member(*o, "token_endpoint"), string_member(*o, "jwks_uri"),
              string_member(*o, "userinfo_endpoint")};
  if (d.issuer != expected_issuer)
    return fail(ErrorCode::kInvalidArgument, "the discovery document names the issuer \"" +
                                                 d.issuer.substr(0, 200) +
                                                 "\", not the one configured");
  for (const auto* url : {&d.authorization_endpoint, &d.token_endpoint, &d.jwks_uri})
    if (!url->starts_with("https://") && !url->starts_with("http://"))
      return fail(ErrorCode::kInvalidArgument, "the discovery document lacks an endpoint");
  return d;
}

Result<void> check_id_token_claims(const json::object& claims, const IdTokenExpectation& expected) {
  if (string_member(claims, "iss") != expected.issuer)
    return token_invalid("the ID token comes from another issuer");
  GONGDAN_TRY(check_audience(claims, expected.client_id));
  const auto exp = seconds_claim(claims, "exp");
  const auto iat = seconds_claim(claims, "iat");
  if (!exp || !iat) return token_invalid("the ID token lacks exp or iat");
  if (*exp + expected.skew_seconds < expected.now_seconds)
    return token_invalid("the ID token has expired");
  if (*iat - expected.skew_seconds > expected.now_seconds)
    return token_invalid("the ID token was issued in the future; check the clocks");
  if (const auto nbf = seconds_claim(claims, "nbf");
      nbf && *nbf - expected.skew_seconds > expected.now_seconds)
    return token_invalid("the ID token is not valid yet");
  if (string_member(claims, "nonce") != expected.nonce || expected.nonce.empty())
    return token_invalid("the ID token's nonce is not this sign-in's");
  const auto sub = string_member(claims, "sub");
  if (sub.empty() || sub.size() > 255) return token_invalid("the ID token names no subject");
  return {};
}

}  // namespace gongdan
