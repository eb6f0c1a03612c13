#include "channels/saml/saml_reader.hpp"

// GLib's headers include C++ ones when compiled as C++: they come before lasso's, which wrap
// what they include in extern "C".
#include <glib-object.h>
#include <glib.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>

#include <lasso/lasso.h>
#include <lasso/xml/misc_text_node.h>
#include <lasso/xml/saml-2.0/saml2_assertion.h>
#include <lasso/xml/saml-2.0/saml2_attribute.h>
#include <lasso/xml/saml-2.0/saml2_attribute_statement.h>
#include <lasso/xml/saml-2.0/saml2_attribute_value.h>
#include <lasso/xml/saml-2.0/saml2_audience_restriction.h>
#include <lasso/xml/saml-2.0/saml2_conditions.h>
#include <lasso/xml/saml-2.0/saml2_subject.h>
#include <lasso/xml/saml-2.0/saml2_subject_confirmation.h>
#include <lasso/xml/saml-2.0/saml2_subject_confirmation_data.h>
#include <lasso/xml/saml-2.0/samlp2_authn_request.h>
#include <lasso/xml/saml-2.0/samlp2_response.h>

namespace gongdan::channels::saml {
namespace {

constexpr std::size_t kMaxAttributes = 100;
constexpr std::size_t kMaxValues = 100;
constexpr std::size_t kMaxValueBytes = 1000;
constexpr std::size_t kMaxMetadataBytes = 512 * 1024;

struct Unref {
  void operator()(void* object) const { g_object_unref(object); }
};
using Server = std::unique_ptr<LassoServer, Unref>;
using Login = std::unique_ptr<LassoLogin, Unref>;

void ignore_log(const gchar*, GLogLevelFlags, const gchar*, gpointer) {}

// lasso_init once; lasso's own log lines say nothing our errors do not.
void init_lasso() {
  static std::once_flag once;
  std::call_once(once, [] {
    lasso_init();
    g_log_set_handler("Lasso", static_cast<GLogLevelFlags>(G_LOG_LEVEL_MASK), ignore_log, nullptr);
  });
}

// `reason` (the error's field) names what is wrong for the sign-in page to word.
Failure refused(std::string message, std::string reason = "malformed") {
  return fail(ErrorCode::kUnauthenticated, std::move(message), std::move(reason));
}

std::string text_of(const char* s) { return s ? std::string(s) : std::string(); }

// Our side and one IdP, as lasso's server object.
Result<Server> server_for(const SamlServiceProvider& sp, const SamlProvider& idp) {
  init_lasso();
  const std::string ours = saml_sp_metadata(sp);
  Server server(lasso_server_new_from_buffers(ours.c_str(), nullptr, nullptr, nullptr));
  if (!server) return fail(ErrorCode::kInternal, "liblasso refused our own metadata");
  const std::string theirs = saml_idp_metadata(idp);
  if (lasso_server_add_provider_from_buffer(server.get(), LASSO_PROVIDER_ROLE_IDP, theirs.c_str(),
                                            nullptr, nullptr) != 0)
    return fail(ErrorCode::kInvalidArgument, "the identity provider's settings do not load");
  return server;
}

void replace(char*& field, const char* value) {
  g_free(field);
  field = g_strdup(value);
}

bool is_base64(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/' || c == '=' || c == '\r' || c == '\n';
  });
}

Failure unavailable(int rc) {
  return fail(ErrorCode::kUnavailable,
              std::string("the sign-in request cannot be made: ") + lasso_strerror(rc));
}

Failure lasso_refusal(int rc) {
  switch (rc) {
    case LASSO_DS_ERROR_SIGNATURE_NOT_FOUND:
      return refused("the response is not signed", "unsigned");
    case LASSO_PROFILE_ERROR_CANNOT_VERIFY_SIGNATURE:
    case LASSO_DS_ERROR_INVALID_SIGNATURE:
    case LASSO_DS_ERROR_SIGNATURE_VERIFICATION_FAILED:
    case LASSO_DS_ERROR_INVALID_REFERENCE_FOR_SAML:
      return refused("the response's signature is not the identity provider's", "signature");
    case LASSO_LOGIN_ERROR_STATUS_NOT_SUCCESS:
      return refused("the identity provider did not sign you in", "idp_refused");
    default:
      return refused(std::string("the response cannot be read: ") + lasso_strerror(rc));
  }
}

std::string node_text(LassoNode* node) {
  if (LASSO_IS_MISC_TEXT_NODE(node)) return text_of(LASSO_MISC_TEXT_NODE(node)->content);
  xmlNode* xml = lasso_node_get_xmlNode(node, FALSE);
  if (!xml) return "";
  xmlChar* content = xmlNodeGetContent(xml);
  std::string out = content ? reinterpret_cast<const char*>(content) : "";
  xmlFree(content);
  xmlFreeNode(xml);
  return out;
}

std::vector<std::string> values_of(LassoSaml2Attribute* attribute) {
  std::vector<std::string> out;
  for (GList* v = attribute->AttributeValue; v && out.size() < kMaxValues; v = v->next) {
    if (!LASSO_IS_SAML2_ATTRIBUTE_VALUE(v->data)) continue;
    std::string text;
    for (GList* any = LASSO_SAML2_ATTRIBUTE_VALUE(v->data)->any; any; any = any->next)
      if (LASSO_IS_NODE(any->data)) text += node_text(LASSO_NODE(any->data));
    if (text.size() <= kMaxValueBytes) out.push_back(std::move(text));
  }
  return out;
}

void read_attributes(LassoSaml2Assertion* a, SamlAssertion& out) {
  for (GList* s = a->AttributeStatement; s; s = s->next) {
    if (!LASSO_IS_SAML2_ATTRIBUTE_STATEMENT(s->data)) continue;
    for (GList* i = LASSO_SAML2_ATTRIBUTE_STATEMENT(s->data)->Attribute; i; i = i->next) {
      if (!LASSO_IS_SAML2_ATTRIBUTE(i->data) || out.attributes.size() >= kMaxAttributes) continue;
      auto* attribute = LASSO_SAML2_ATTRIBUTE(i->data);
      if (!attribute->Name) continue;
      auto values = values_of(attribute);
      // By its Name (often a URN) and by its FriendlyName ("mail"), which admins type.
      for (const char* name : {attribute->Name, attribute->FriendlyName}) {
        if (!name || std::strlen(name) > 200) continue;
        auto& into = out.attributes[name];
        into.insert(into.end(), values.begin(), values.end());
        if (attribute->FriendlyName == attribute->Name) break;
      }
    }
  }
}

void read_subject(LassoSaml2Assertion* a, SamlAssertion& out) {
  auto* subject = a->Subject;
  if (!subject) return;
  if (subject->NameID) out.name_id = text_of(subject->NameID->content);
  auto* confirmation = subject->SubjectConfirmation;
  if (!confirmation || !confirmation->SubjectConfirmationData) return;
  auto* data = confirmation->SubjectConfirmationData;
  out.recipient = text_of(data->Recipient);
  out.confirmation_in_response_to = text_of(data->InResponseTo);
  out.confirmation_not_on_or_after = text_of(data->NotOnOrAfter);
}

SamlAssertion read_assertion(LassoSamlp2Response* response, LassoSaml2Assertion* a) {
  auto* status = LASSO_SAMLP2_STATUS_RESPONSE(response);
  SamlAssertion out;
  out.response_id = text_of(status->ID);
  out.destination = text_of(status->Destination);
  out.in_response_to = text_of(status->InResponseTo);
  out.assertion_id = text_of(a->ID);
  if (a->Issuer) out.issuer = text_of(a->Issuer->content);
  if (auto* c = a->Conditions) {
    out.not_before = text_of(c->NotBefore);
    out.not_on_or_after = text_of(c->NotOnOrAfter);
    for (GList* r = c->AudienceRestriction; r; r = r->next)
      if (LASSO_IS_SAML2_AUDIENCE_RESTRICTION(r->data))
        out.audiences.push_back(text_of(LASSO_SAML2_AUDIENCE_RESTRICTION(r->data)->Audience));
  }
  read_subject(a, out);
  read_attributes(a, out);
  return out;
}

using XmlDoc = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;
using XPathContext = std::unique_ptr<xmlXPathContext, decltype(&xmlXPathFreeContext)>;
using XPathObject = std::unique_ptr<xmlXPathObject, decltype(&xmlXPathFreeObject)>;

// The IdP's signing certificate in its metadata (a KeyDescriptor for signing, or for any use).
std::string signing_certificate(std::string_view metadata) {
  XmlDoc doc(xmlReadMemory(metadata.data(), static_cast<int>(metadata.size()), nullptr, nullptr,
                           XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR),
             xmlFreeDoc);
  if (!doc) return "";
  XPathContext context(xmlXPathNewContext(doc.get()), xmlXPathFreeContext);
  xmlXPathRegisterNs(context.get(), BAD_CAST "md", BAD_CAST "urn:oasis:names:tc:SAML:2.0:metadata");
  xmlXPathRegisterNs(context.get(), BAD_CAST "ds", BAD_CAST "http://www.w3.org/2000/09/xmldsig#");
  XPathObject found(
      xmlXPathEvalExpression(BAD_CAST "//md:IDPSSODescriptor/md:KeyDescriptor[not(@use) or "
                                      "@use='signing']//ds:X509Certificate",
                             context.get()),
      xmlXPathFreeObject);
  if (!found || !found->nodesetval || found->nodesetval->nodeNr == 0) return "";
  xmlChar* content = xmlNodeGetContent(found->nodesetval->nodeTab[0]);
  std::string body;
  for (const char* c = reinterpret_cast<const char*>(content); c && *c; ++c)
    if (!std::isspace(static_cast<unsigned char>(*c))) body += *c;
  xmlFree(content);
  std::string pem = "-----BEGIN CERTIFICATE-----\n";
  for (std::size_t i = 0; i < body.size(); i += 64) pem += body.substr(i, 64) + "\n";
  return pem + "-----END CERTIFICATE-----\n";
}

}  // namespace

Result<AuthnRequest> make_authn_request(const SamlServiceProvider& sp, const SamlProvider& idp,
                                        std::string_view relay_state) {
  GONGDAN_ASSIGN(auto server, server_for(sp, idp));
  Login login(lasso_login_new(server.get()));
  std::string idp_id = idp.entity_id;
  // We hold no key: AuthnRequests go unsigned (our metadata says so).
  lasso_profile_set_signature_hint(LASSO_PROFILE(login.get()), LASSO_PROFILE_SIGNATURE_HINT_FORBID);
  if (const int rc =
          lasso_login_init_authn_request(login.get(), idp_id.data(), LASSO_HTTP_METHOD_REDIRECT))
    return unavailable(rc);
  auto* profile = LASSO_PROFILE(login.get());
  auto* request = LASSO_SAMLP2_AUTHN_REQUEST(profile->request);
  replace(request->NameIDPolicy->Format, LASSO_SAML2_NAME_IDENTIFIER_FORMAT_UNSPECIFIED);
  request->NameIDPolicy->AllowCreate = TRUE;
  replace(request->AssertionConsumerServiceURL, sp.acs_url.c_str());
  replace(request->ProtocolBinding, LASSO_SAML2_METADATA_BINDING_POST);
  const std::string relay(relay_state);
  replace(profile->msg_relayState, relay.c_str());
  if (const int rc = lasso_login_build_authn_request_msg(login.get())) return unavailable(rc);
  return AuthnRequest{profile->msg_url,
                      text_of(LASSO_SAMLP2_REQUEST_ABSTRACT(profile->request)->ID)};
}

Result<SamlAssertion> read_saml_response(const SamlServiceProvider& sp, const SamlProvider& idp,
                                         std::string_view posted) {
  if (posted.empty()) return refused("no SAMLResponse was posted");
  if (posted.size() > kMaxSamlResponseBytes) return refused("the SAMLResponse is too large");
  if (!is_base64(posted)) return refused("the SAMLResponse is not base64");
  GONGDAN_ASSIGN(auto server, server_for(sp, idp));
  Login login(lasso_login_new(server.get()));
  std::string message(posted);
  const int rc = lasso_login_process_authn_response_msg(login.get(), message.data());
  auto* response = LASSO_PROFILE(login.get())->response;
  if (rc != 0) return lasso_refusal(rc);
  if (!LASSO_IS_SAMLP2_RESPONSE(response)) return refused("the message is not a SAML Response");
  auto* r = LASSO_SAMLP2_RESPONSE(response);
  if (r->EncryptedAssertion) return refused("encrypted assertions are not supported", "encrypted");
  if (!r->Assertion || r->Assertion->next || !LASSO_IS_SAML2_ASSERTION(r->Assertion->data))
    return refused("the response must hold exactly one assertion");
  return read_assertion(r, LASSO_SAML2_ASSERTION(r->Assertion->data));
}

Result<void> read_idp_metadata(SamlProvider& idp) {
  if (idp.metadata.size() > kMaxMetadataBytes)
    return fail(ErrorCode::kInvalidArgument, "at most 512 KiB", "metadata");
  init_lasso();
  std::unique_ptr<LassoProvider, Unref> provider(lasso_provider_new_from_buffer(
      LASSO_PROVIDER_ROLE_IDP, idp.metadata.c_str(), nullptr, nullptr));
  if (!provider || !LASSO_PROVIDER(provider.get())->ProviderID)
    return fail(ErrorCode::kInvalidArgument, "not the SAML metadata of an identity provider",
                "metadata");
  gchar* sso = lasso_provider_get_metadata_one(provider.get(), "SingleSignOnService HTTP-Redirect");
  const std::string sso_url = text_of(sso);
  g_free(sso);
  if (sso_url.empty())
    return fail(ErrorCode::kInvalidArgument,
                "the metadata has no SingleSignOnService for the HTTP-Redirect binding",
                "metadata");
  std::string certificate = signing_certificate(idp.metadata);
  if (certificate.empty() || !check_certificate(certificate))
    return fail(ErrorCode::kInvalidArgument, "the metadata has no signing certificate", "metadata");
  idp.entity_id = LASSO_PROVIDER(provider.get())->ProviderID;
  idp.sso_url = sso_url;
  idp.certificate = std::move(certificate);
  return {};
}

Result<void> check_certificate(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr, X509_free);
  if (!cert)
    return fail(ErrorCode::kInvalidArgument, "not an X.509 certificate in PEM", "certificate");
  return {};
}

}  // namespace gongdan::channels::saml
