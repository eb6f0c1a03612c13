// SAML as the fuzzer drives it (channels/saml, linked alone with liblasso): the first byte picks
// what the rest is: 'M' an IdP's metadata to import, 'P' a SAMLResponse form value as posted,
// anything else a Response's XML (which the target posts base64-encoded, so that it reaches
// lasso's parser and signature check). The promises of saml_reader.hpp are checked: a bad
// Response is only ever a 401 and bad metadata a 400; imported metadata always gives an entity
// ID, an SSO URL and a certificate; what is read stays within its limits, and its checks
// (domain/saml.hpp) run on it. The seeds are Responses of tests/saml/idp.py (pysaml2) signed in
// each way the tests use, with the certificate below; shared with the unit test that replays
// them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "channels/saml/saml_reader.hpp"
#include "domain/jwt.hpp"

namespace gongdan::fuzz {

// The IdP of the seeds (127.0.0.1:18083) and the service provider they were made for.
inline constexpr std::string_view kSamlFuzzCertificate = R"(-----BEGIN CERTIFICATE-----
MIIDGTCCAgGgAwIBAgIUFhJFg4ot5qp2KFyErCV9MYKXXM0wDQYJKoZIhvcNAQEL
BQAwGzEZMBcGA1UEAwwQZ29uZ2Rhbi1mdXp6LWlkcDAgFw0yNjEyMDcwMzQxMjNa
GA8yMTI2MTExMzAzNDEyM1owGzEZMBcGA1UEAwwQZ29uZ2Rhbi1mdXp6LWlkcDCC
ASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAKqeQvZsAR+q/b6p4q0u0acT
WKb6KOhQPuVg7UD9I4JtXaOpYBUVnCyUALHsquy4Bv98E5ND2IYiLD8Jbd0zCHuW
dj2jhPF/jhuwV69oAKR2W1OUEyHcUDC35bvMmAljMkv8W97sm+rvfq1moEOZgcPl
AKg7hcbcjrZXsbDaz4itw2e5NekoFQb+sKlcy2ds3uOyHhVBLXK+NAhNBUl+HwKm
8MKg0iZGEezQBGlY+HNBuWs448EeYc9t48oPOH3lvod1cCLe2FT3NUsF1D4S6p18
pye+VEDtFMFEY6jH8A6lj7XYG3pmnLGibua2cZfKbaSGfEyYTokrVjgaHLWNGe0C
AwEAAaNTMFEwHQYDVR0OBBYEFPB9jCqUUrP5JVjkGLH7u7fcrBGdMB8GA1UdIwQY
MBaAFPB9jCqUUrP5JVjkGLH7u7fcrBGdMA8GA1UdEwEB/wQFMAMBAf8wDQYJKoZI
hvcNAQELBQADggEBADS5smeoQI6phPHmhunYHupWlvBcJvAZhRDQqJH2w7fOZW06
HcPjvMnl398xEWRdG63oMcr+TvfhQjLUsAots5omBdFcVEXLd+MNEybHLy3BY5AP
njOpTpydFBbf9uwQhbDLJ2QQWsk9p7U+echbIzR28RIjHjIkbWa9fTa8O7KiaFZY
R8eYbsqLB//QzcojipqmN55zfHCj9PWRNzF5EtcYLXKdRz/qA1LG7o5a9euSNLPA
cg7lxZmEz09NjsW329z21YGZxdPDH+cZ7hgqGSfiY0yur5fmDJV5M8zuaFp/JNbo
O9mbP6Fq6fMbQR2K6qoVuCEbVgo/Hpue3WW+Li0=
-----END CERTIFICATE-----
)";

inline SamlServiceProvider saml_fuzz_sp() {
  return {"http://127.0.0.1:18081/sp.xml", "http://127.0.0.1:18081/acs"};
}

inline SamlProvider saml_fuzz_idp() {
  SamlProvider p;
  p.entity_id = "http://127.0.0.1:18083/metadata";
  p.sso_url = "http://127.0.0.1:18083/sso";
  p.certificate = kSamlFuzzCertificate;
  return p;
}

// Standard base64 with padding, as a browser posts it.
inline std::string saml_fuzz_base64(std::string_view bytes) {
  std::string out = base64url_encode(bytes);
  for (char& c : out) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (out.size() % 4) out += '=';
  return out;
}

inline std::string run_saml_metadata(std::string_view xml) {
  SamlProvider p;
  p.metadata = xml;
  auto read = channels::saml::read_idp_metadata(p);
  if (!read) return read.error().code == ErrorCode::kInvalidArgument ? "" : "metadata: not a 400";
  if (p.entity_id.empty() || p.sso_url.empty() || !channels::saml::check_certificate(p.certificate))
    return "metadata taken without an entity ID, an SSO URL or a certificate";
  return "";
}

inline std::string run_saml(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return "";
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] == 'M') return run_saml_metadata(rest);
  const std::string posted = data[0] == 'P' ? std::string(rest) : saml_fuzz_base64(rest);
  auto read = channels::saml::read_saml_response(saml_fuzz_sp(), saml_fuzz_idp(), posted);
  if (!read) return read.error().code == ErrorCode::kUnauthenticated ? "" : "response: not a 401";
  if (read->attributes.size() > 200) return "more attributes than the limit";
  for (const auto& [name, values] : read->attributes)
    if (name.size() > 200 || values.size() > 10'000) return "an attribute over the limits";
  const SamlExpectation expected{saml_fuzz_sp(), saml_fuzz_idp().entity_id, "_r", 1'700'000'000'000,
                                 120'000};
  (void)check_assertion(*read, expected);
  return "";
}

}  // namespace gongdan::fuzz
