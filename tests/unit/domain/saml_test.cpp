#include "domain/saml.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace gongdan {
namespace {

const SamlServiceProvider kSp{"https://desk.example/api/v1/auth/saml/metadata",
                              "https://desk.example/api/v1/auth/saml/acs"};
constexpr Millis kNow = 1'765'000'000'000;  // 2025-12-06T05:46:40Z

SamlAssertion good() {
  SamlAssertion a;
  a.destination = a.recipient = kSp.acs_url;
  a.in_response_to = a.confirmation_in_response_to = "_req";
  a.assertion_id = "_a";
  a.issuer = "https://idp.example";
  a.name_id = "u1";
  a.audiences = {kSp.entity_id};
  a.not_before = "2025-12-06T05:45:00Z";
  a.not_on_or_after = a.confirmation_not_on_or_after = "2025-12-06T05:50:00.500Z";
  a.attributes = {{"email", {"a@example.org"}}, {"groups", {"support", "leads"}}};
  return a;
}

std::string reason(const SamlAssertion& a, Millis now = kNow) {
  auto checked = check_assertion(a, {kSp, "https://idp.example", "_req", now, 120'000});
  return checked ? "" : checked.error().field;
}

TEST(Saml, ReadsTimesStrictly) {
  EXPECT_EQ(parse_saml_time("2025-12-06T05:46:40Z"), kNow);
  EXPECT_EQ(parse_saml_time("2025-12-06T05:46:40.25Z"), kNow + 250);
  for (const char* bad :
       {"", "2025-12-06 05:46:40Z", "2025-13-06T05:46:40Z", "2025-02-30T00:00:00Z",
        "2025-12-06T05:46:40", "2025-12-06T05:46:40+08:00", "2025-12-06T05:46:40.Z",
        "2025-12-06T05:46:40.1234567890123Z", "2025-12-06T25:00:00Z"})
    EXPECT_FALSE(parse_saml_time(bad)) << bad;
}

TEST(Saml, AcceptsWhatIsForUsAndRefusesEachMismatchByName) {
  EXPECT_EQ(reason(good()), "");
  auto a = good();
  a.issuer = "https://evil.example";
  EXPECT_EQ(reason(a), "issuer");
  a = good();
  a.audiences = {"https://other.example"};
  EXPECT_EQ(reason(a), "audience");
  a = good();
  a.destination = "https://other.example/acs";
  EXPECT_EQ(reason(a), "destination");
  a = good();
  a.destination.clear();  // optional when unsigned responses carry signed assertions
  EXPECT_EQ(reason(a), "");
  a.recipient = "https://other.example/acs";
  EXPECT_EQ(reason(a), "recipient");
  a = good();
  a.in_response_to.clear();
  a.confirmation_in_response_to.clear();
  EXPECT_EQ(reason(a), "unsolicited");
  a = good();
  a.confirmation_in_response_to = "_other";
  EXPECT_EQ(reason(a), "in_response_to");
  a = good();
  a.confirmation_not_on_or_after.clear();
  EXPECT_EQ(reason(a), "malformed");
}

TEST(Saml, TheValidityWindowAllowsTwoMinutesOfSkew) {
  const auto a = good();
  EXPECT_EQ(reason(a, kNow - 100'000 - 120'000), "");  // NotBefore minus the skew
  EXPECT_EQ(reason(a, kNow - 100'000 - 120'001), "not_yet_valid");
  EXPECT_EQ(reason(a, kNow + 200'499 + 120'000), "");  // just before NotOnOrAfter plus the skew
  EXPECT_EQ(reason(a, kNow + 200'500 + 120'000), "expired");
}

TEST(Saml, AttributesGiveTheAccount) {
  SamlProvider p;
  p.mappings = boost::json::parse(
      R"([{"attribute": "groups", "value": "support", "role": "agent", "departments": [3]},
          {"attribute": "groups", "value": "leads", "role": "supervisor"}])");
  auto account = map_saml_attributes(p, good());
  ASSERT_TRUE(account);
  EXPECT_EQ(account->role, Role::kSupervisor);
  EXPECT_EQ(account->departments, std::vector<std::int64_t>{3});
  EXPECT_EQ(saml_email(p, good()), "a@example.org");
  p.email_attribute.clear();
  EXPECT_EQ(saml_email(p, good()), "u1");  // the NameID
  EXPECT_FALSE(map_saml_attributes(p, SamlAssertion{}));
}

TEST(Saml, MetadataEscapesWhatItQuotes) {
  const auto ours = saml_sp_metadata({"https://d.example/?a=1&b=\"2\"", kSp.acs_url});
  EXPECT_NE(ours.find("entityID=\"https://d.example/?a=1&amp;b=&quot;2&quot;\""),
            std::string::npos);
  SamlProvider p;
  p.entity_id = "https://idp.example";
  p.sso_url = "https://idp.example/sso";
  p.certificate = "-----BEGIN CERTIFICATE-----\nMIIB\nAAAA\n-----END CERTIFICATE-----\n";
  EXPECT_NE(saml_idp_metadata(p).find("<ds:X509Certificate>MIIBAAAA</ds:X509Certificate>"),
            std::string::npos);
}

}  // namespace
}  // namespace gongdan
