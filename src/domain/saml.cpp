#include "domain/saml.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>

#include "domain/oidc_provider.hpp"
#include "util/text.hpp"

namespace gongdan {
namespace {

namespace json = boost::json;

// `reason` (the error's field) names what is wrong for the sign-in page to word.
Failure refused(std::string message, std::string reason) {
  return fail(ErrorCode::kUnauthenticated, std::move(message), std::move(reason));
}

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Within [start - skew, end + skew): SAML's NotBefore is inclusive, NotOnOrAfter exclusive.
Result<void> check_window(std::string_view not_before, std::string_view not_on_or_after,
                          const SamlExpectation& e, std::string_view what) {
  if (!not_before.empty()) {
    auto start = parse_saml_time(not_before);
    if (!start)
      return refused("the " + std::string(what) + "'s NotBefore is not a time", "malformed");
    if (e.now + e.skew < *start) return refused("the assertion is not valid yet", "not_yet_valid");
  }
  if (!not_on_or_after.empty()) {
    auto end = parse_saml_time(not_on_or_after);
    if (!end)
      return refused("the " + std::string(what) + "'s NotOnOrAfter is not a time", "malformed");
    if (e.now - e.skew >= *end) return refused("the assertion has expired", "expired");
  }
  return {};
}

std::string first_value(const SamlAssertion& a, std::string_view name) {
  auto found = a.attributes.find(std::string(name));
  return found == a.attributes.end() || found->second.empty() ? "" : found->second.front();
}

void append_attribute(std::string& out, std::string_view name, std::string_view value) {
  out += ' ';
  out += name;
  out += "=\"";
  text::append_html_escaped(out, value);
  out += '"';
}

}  // namespace

std::optional<Millis> parse_saml_time(std::string_view s) {
  int year, month, day, hour, minute, second;
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
      s.back() != 'Z' || !digits(s, 0, 4, year) || !digits(s, 5, 2, month) ||
      !digits(s, 8, 2, day) || !digits(s, 11, 2, hour) || !digits(s, 14, 2, minute) ||
      !digits(s, 17, 2, second) || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  Millis fraction = 0;
  if (s.size() > 20) {  // ".123Z"
    if (s[19] != '.' || s.size() < 22 || s.size() > 30) return std::nullopt;
    int scale = 100;
    for (std::size_t i = 20; i + 1 < s.size(); ++i, scale /= 10) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      fraction += (s[i] - '0') * scale;
    }
  }
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  const auto days = std::chrono::sys_days(date).time_since_epoch().count();
  return ((static_cast<Millis>(days) * 24 + hour) * 60 + minute) * 60'000 +
         static_cast<Millis>(second) * 1000 + fraction;
}

Result<void> check_assertion(const SamlAssertion& a, const SamlExpectation& e) {
  if (a.issuer != e.idp_entity_id)
    return refused(
        "the assertion was issued by " + a.issuer.substr(0, 200) + ", not by this provider",
        "issuer");
  if (std::find(a.audiences.begin(), a.audiences.end(), e.sp.entity_id) == a.audiences.end())
    return refused("the assertion is meant for another audience", "audience");
  if (!a.destination.empty() && a.destination != e.sp.acs_url)
    return refused("the response was sent to another destination", "destination");
  if (a.recipient != e.sp.acs_url)
    return refused("the assertion is meant for another recipient", "recipient");
  if (a.in_response_to.empty() && a.confirmation_in_response_to.empty())
    return refused("unsolicited assertions are not accepted: start the sign-in here",
                   "unsolicited");
  if (a.in_response_to != e.request_id || a.confirmation_in_response_to != e.request_id)
    return refused("the assertion does not answer the request this sign-in sent", "in_response_to");
  GONGDAN_TRY(check_window(a.not_before, a.not_on_or_after, e, "conditions"));
  if (a.confirmation_not_on_or_after.empty())
    return refused("the subject confirmation has no NotOnOrAfter", "malformed");
  return check_window("", a.confirmation_not_on_or_after, e, "subject confirmation");
}

json::object saml_attribute_values(const SamlAssertion& a) {
  json::object out;
  for (const auto& [name, values] : a.attributes) {
    json::array list;
    for (const auto& v : values) list.emplace_back(v);
    out[name] = std::move(list);
  }
  return out;
}

std::optional<MappedAccount> map_saml_attributes(const SamlProvider& p, const SamlAssertion& a) {
  return map_values(p.mappings, "attribute", p.unmapped, saml_attribute_values(a));
}

std::string saml_email(const SamlProvider& p, const SamlAssertion& a) {
  return p.email_attribute.empty() ? a.name_id : first_value(a, p.email_attribute);
}

std::string saml_name(const SamlProvider& p, const SamlAssertion& a) {
  return p.name_attribute.empty() ? "" : first_value(a, p.name_attribute);
}

std::string saml_sp_metadata(const SamlServiceProvider& sp) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"";
  append_attribute(out, "entityID", sp.entity_id);
  out +=
      ">\n  <md:SPSSODescriptor AuthnRequestsSigned=\"false\" WantAssertionsSigned=\"true\" "
      "protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n"
      "    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
      "</md:NameIDFormat>\n"
      "    <md:AssertionConsumerService "
      "Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\"";
  append_attribute(out, "Location", sp.acs_url);
  out += " index=\"0\" isDefault=\"true\"/>\n  </md:SPSSODescriptor>\n</md:EntityDescriptor>\n";
  return out;
}

std::string saml_idp_metadata(const SamlProvider& p) {
  std::string body;  // the certificate's base64, without the PEM armour and line breaks
  for (const auto line : text::split(p.certificate, '\n'))
    if (!text::trim(line).starts_with("-----")) body += text::trim(line);
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" "
      "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"";
  append_attribute(out, "entityID", p.entity_id);
  out +=
      ">\n  <md:IDPSSODescriptor "
      "protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n"
      "    <md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>";
  text::append_html_escaped(out, body);
  out +=
      "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n"
      "    <md:SingleSignOnService "
      "Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\"";
  append_attribute(out, "Location", p.sso_url);
  out += "/>\n  </md:IDPSSODescriptor>\n</md:EntityDescriptor>\n";
  return out;
}

}  // namespace gongdan
