#include "domain/jwt.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "domain/oidc_provider.hpp"
#include "fuzz/jwt/target.hpp"
#include "unit/fixture_file.hpp"

namespace gongdan {
namespace {

namespace json = boost::json;

std::string seed(const std::string& name) {
  return test_support::read_file(std::filesystem::path(GONGDAN_FIXTURES) / ".." / "fuzz" / "jwt" /
                                 "corpus" / name);
}

json::object claims() { return json::parse(seed("claims.json")).as_object(); }

const IdTokenExpectation kExpected{"https://issuer.example", "client", "n", 1700000100, 120};

TEST(Jwt, ReadsSignedTokensAndFindsTheirKeys) {
  auto keys = parse_jwks(seed("jwks.json"));
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->size(), 2u);  // the symmetric key is skipped
  for (const char* name : {"rs256.jwt", "es256.jwt"}) {
    auto token = parse_jwt(seed(name));
    ASSERT_TRUE(token) << name;
    EXPECT_EQ(token->claims.at("sub").as_string(), "alice");
    const Jwk* key = find_key(*keys, *token);
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(key->kid, token->kid);
    token->kid = "rotated";
    EXPECT_EQ(find_key(*keys, *token), nullptr);
  }
  EXPECT_FALSE(parse_jwt(seed("none.jwt")));  // alg none is never accepted
  EXPECT_FALSE(parse_jwt("a.b"));
  EXPECT_FALSE(parse_jwt("a.b.c.d"));
}

TEST(Jwt, ChecksEachClaim) {
  EXPECT_TRUE(check_id_token_claims(claims(), kExpected));
  auto with = [](const char* key, json::value value) {
    auto c = claims();
    c[key] = std::move(value);
    return check_id_token_claims(c, kExpected).error().message;
  };
  EXPECT_NE(with("iss", "https://evil.example").find("issuer"), std::string::npos);
  EXPECT_NE(with("aud", "other").find("another client"), std::string::npos);
  EXPECT_NE(with("azp", "other").find("another client"), std::string::npos);
  EXPECT_NE(with("exp", 1700000100 - 121).find("expired"), std::string::npos);
  EXPECT_NE(with("iat", 1700000100 + 121).find("future"), std::string::npos);
  EXPECT_NE(with("nonce", "m").find("nonce"), std::string::npos);
  EXPECT_NE(with("sub", "").find("subject"), std::string::npos);
  auto within_skew = claims();
  within_skew["exp"] = 1700000100 - 119;
  EXPECT_TRUE(check_id_token_claims(within_skew, kExpected));
}

TEST(Jwt, Base64urlRoundTripsAndRefusesOtherAlphabets) {
  for (std::string bytes : {"", "f", "fo", "foo", "\xff\xfe\x00", "any carnal pleas"})
    EXPECT_EQ(base64url_decode(base64url_encode(bytes)), bytes);
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_FALSE(base64url_decode("ab+/"));
  EXPECT_FALSE(base64url_decode("abcde"));
  EXPECT_FALSE(base64url_decode("ab=="));
}

TEST(Jwt, DiscoveryMustNameTheConfiguredIssuer) {
  EXPECT_TRUE(parse_discovery(seed("discovery.json"), "https://issuer.example"));
  EXPECT_FALSE(parse_discovery(seed("discovery.json"), "https://issuer.example/other"));
}

TEST(OidcProvider, ClaimsMapToTheHighestRoleAndEveryDepartment) {
  OidcProvider p;
  p.mappings = json::parse(R"([{"claim": "groups", "value": "support", "role": "agent",
                                "departments": [2, 1]},
                               {"claim": "groups", "value": "leads", "role": "supervisor",
                                "departments": [2]},
                               {"claim": "tier", "value": "gold", "role": "customer"}])");
  auto mapped = map_claims(p, json::parse(R"({"groups": ["support", "leads"]})").as_object());
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->role, Role::kSupervisor);
  EXPECT_EQ(mapped->departments, (std::vector<std::int64_t>{1, 2}));
  mapped = map_claims(p, json::parse(R"({"tier": "gold"})").as_object());
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->role, Role::kCustomer);
  EXPECT_FALSE(map_claims(p, json::parse(R"({"groups": "nobody"})").as_object()));
  p.unmapped = UnmappedPolicy::kCustomer;
  EXPECT_TRUE(map_claims(p, json::parse(R"({})").as_object()));
  EXPECT_EQ(check_claim_mappings(json::parse(R"([{"claim": "g", "role": "agent"}])")).error().field,
            "mappings[0].value");
}

TEST(Jwt, FuzzSeedsKeepTheirPromises) {
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(GONGDAN_FIXTURES) / ".." / "fuzz" / "jwt" / "corpus")) {
    const auto bytes = test_support::read_file(entry.path());
    SCOPED_TRACE(entry.path().string());
    EXPECT_EQ(fuzz::run_jwt(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), "");
    ++count;
  }
  EXPECT_GE(count, 5u);
}

}  // namespace
}  // namespace gongdan
