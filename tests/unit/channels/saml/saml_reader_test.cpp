#include "channels/saml/saml_reader.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "fuzz/saml_response/target.hpp"
#include "unit/fixture_file.hpp"

namespace gongdan::channels::saml {
namespace {

std::string seed(const std::string& name) {
  return test_support::read_file(std::filesystem::path(GONGDAN_FIXTURES) / ".." / "fuzz" /
                                 "saml_response" / "corpus" / name);
}

Result<SamlAssertion> read_seed(const std::string& name) {
  const std::string xml = seed(name).substr(1);  // after the fuzz target's mode byte
  return read_saml_response(fuzz::saml_fuzz_sp(), fuzz::saml_fuzz_idp(),
                            fuzz::saml_fuzz_base64(xml));
}

// The seeds were made by tests/saml/idp.py (pysaml2) and signed with xmlsec1.
TEST(SamlReader, ReadsResponsesSignedOnTheAssertionTheResponseOrBoth) {
  for (const char* name : {"response-signed-assertion.xml", "response-signed-response.xml",
                           "response-signed-both.xml"}) {
    SCOPED_TRACE(name);
    auto a = read_seed(name);
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->issuer, "http://127.0.0.1:18083/metadata");
    EXPECT_EQ(a->name_id, "id-bob");
    EXPECT_EQ(a->recipient, "http://127.0.0.1:18081/acs");
    EXPECT_EQ(a->audiences, std::vector<std::string>{"http://127.0.0.1:18081/sp.xml"});
    EXPECT_FALSE(a->in_response_to.empty());
    EXPECT_EQ(a->in_response_to, a->confirmation_in_response_to);
    // By Name and by FriendlyName.
    EXPECT_EQ(a->attributes["email"], std::vector<std::string>{"bob@example.org"});
    EXPECT_EQ(a->attributes["groups"], (std::vector<std::string>{"support", "leads"}));
  }
}

TEST(SamlReader, RefusesUnsignedForgedAndAlteredResponses) {
  auto unsigned_one = read_seed("response-signed-none.xml");
  ASSERT_FALSE(unsigned_one);
  EXPECT_EQ(unsigned_one.error().field, "unsigned");
  for (const char* name : {"response-signed-other.xml", "response-signed-tampered.xml"}) {
    SCOPED_TRACE(name);
    auto a = read_seed(name);
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(a.error().field, "signature");
  }
  // A signed Response from an IdP this provider is not: its Issuer is unknown here.
  auto other = fuzz::saml_fuzz_idp();
  other.entity_id = "https://someone-else.example";
  EXPECT_FALSE(
      read_saml_response(fuzz::saml_fuzz_sp(), other,
                         fuzz::saml_fuzz_base64(seed("response-signed-both.xml").substr(1))));
  for (std::string_view junk : {"", "not base64!", "PHg+PC94Pg==", "AAAA"})
    EXPECT_EQ(read_saml_response(fuzz::saml_fuzz_sp(), fuzz::saml_fuzz_idp(), junk).error().code,
              ErrorCode::kUnauthenticated)
        << junk;
}

TEST(SamlReader, ImportsAnIdpFromItsMetadata) {
  SamlProvider p;
  p.metadata = seed("idp-metadata.xml").substr(1);
  ASSERT_TRUE(read_idp_metadata(p));
  EXPECT_EQ(p.entity_id, "http://127.0.0.1:18083/metadata");
  EXPECT_EQ(p.sso_url, "http://127.0.0.1:18083/sso");
  EXPECT_TRUE(check_certificate(p.certificate));
  SamlProvider bad;
  bad.metadata = "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"/>";
  EXPECT_EQ(read_idp_metadata(bad).error().field, "metadata");
  EXPECT_EQ(check_certificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
                .error()
                .field,
            "certificate");
}

TEST(SamlReader, MakesARedirectRequestForTheIdp) {
  auto request = make_authn_request(fuzz::saml_fuzz_sp(), fuzz::saml_fuzz_idp(), "relay");
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_TRUE(request->url.starts_with("http://127.0.0.1:18083/sso?SAMLRequest="));
  EXPECT_NE(request->url.find("&RelayState=relay"), std::string::npos);
  EXPECT_FALSE(request->id.empty());
}

TEST(SamlReader, KeepsTheFuzzTargetsPromisesOnItsSeeds) {
  const auto dir =
      std::filesystem::path(GONGDAN_FIXTURES) / ".." / "fuzz" / "saml_response" / "corpus";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string bytes = test_support::read_file(entry.path());
    EXPECT_EQ(fuzz::run_saml(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), "")
        << entry.path();
  }
}

}  // namespace
}  // namespace gongdan::channels::saml
