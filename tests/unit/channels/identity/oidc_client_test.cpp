#include "channels/identity/oidc_client.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "unit/fixture_file.hpp"

namespace gongdan::channels {
namespace {

std::string seed(const std::string& name) {
  return test_support::read_file(std::filesystem::path(GONGDAN_FIXTURES) / ".." / "fuzz" / "jwt" /
                                 "corpus" / name);
}

// The seed tokens were signed by jose (npm) with the keys of the seed JWK set.
TEST(OidcClient, VerifiesRs256AndEs256AndRefusesAnAlteredByte) {
  OidcClient client;
  auto keys = parse_jwks(seed("jwks.json"));
  ASSERT_TRUE(keys);
  for (const char* name : {"rs256.jwt", "es256.jwt"}) {
    SCOPED_TRACE(name);
    auto token = parse_jwt(seed(name));
    ASSERT_TRUE(token);
    const Jwk* key = find_key(*keys, *token);
    ASSERT_NE(key, nullptr);
    EXPECT_TRUE(client.verify_signature(*key, *token));
    auto altered = *token;
    altered.signing_input.back() ^= 1;
    EXPECT_FALSE(client.verify_signature(*key, altered));
    altered = *token;
    altered.signature[5] ^= 1;
    EXPECT_FALSE(client.verify_signature(*key, altered));
    // A key of the other type never verifies.
    const Jwk& other = key->kty == "RSA" ? (*keys)[1] : (*keys)[0];
    EXPECT_FALSE(client.verify_signature(other, *token));
  }
}

TEST(OidcClient, AProviderThatIsDownIsUnavailable) {
  OidcClient client(2);
  auto r = client.get("http://127.0.0.1:1/.well-known/openid-configuration", "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace gongdan::channels
