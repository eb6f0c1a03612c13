// SAML 2.0 sign-in's browser side (services/saml_service.hpp): this service provider's
// metadata, the buttons the sign-in pages show, the redirect to an identity provider
// (HTTP-Redirect binding) and the Assertion Consumer Service the browser posts the Response to
// (HTTP-POST binding). Both are top-level navigations, so their errors are redirects too: to the
// sign-in page, with the reason in `sso_error` and its kind in `sso_reason` (the page words it
// in the reader's language).
#include "api/context.hpp"
#include "api/json.hpp"
#include "api/redirect.hpp"
#include "api/router.hpp"
#include "api/sign_in_redirect.hpp"
#include "services/saml_service.hpp"
#include "util/text.hpp"

namespace gongdan::api {
namespace {

constexpr std::string_view kMetadataPath = "/api/v1/auth/saml/metadata";
constexpr std::string_view kAcsPath = "/api/v1/auth/saml/acs";

// The sign-in page, saying what went wrong and its kind (the error's field).
Response failed(std::string_view return_to, const Error& error) {
  return sign_in_failed(return_to, error, error.field);
}

// This server as the IdP knows it, at the address the browser used (public_url without a
// Host), as OpenID Connect's callback is: the ACS must be where this browser can post, and the
// session cookie it sets is that host's. A forged Host only names an entity ID and ACS the IdP
// never issued an assertion for, which the checks refuse.
SamlServiceProvider service_provider(const ApiContext& ctx, const Request& request) {
  const std::string base = browser_base_url(ctx, request);
  return {base + std::string(kMetadataPath), base + std::string(kAcsPath)};
}

// An application/x-www-form-urlencoded body's value of `name` ('+' is a space).
std::string form_value(std::string_view body, std::string_view name) {
  for (auto pair : text::split(body, '&')) {
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
    std::string value(pair.substr(eq + 1));
    std::replace(value.begin(), value.end(), '+', ' ');
    return text::unescape_hex(value, '%');
  }
  return "";
}

Response metadata(const ApiContext& ctx, const Request& request) {
  Response r;
  r.body = saml_sp_metadata(service_provider(ctx, request));
  r.content_type = "application/samlmetadata+xml; charset=utf-8";
  return r;
}

Response start(const ApiContext& ctx, services::SamlService& saml, Request& request) {
  const std::string return_to(request.query_value("return_to").value_or("/desk"));
  auto id = path_id(request, "id", "saml_provider");
  if (!id) return failed(return_to, id.error());
  auto url = saml.start(*id, service_provider(ctx, request), return_to);
  if (!url) return failed(return_to, url.error());
  return redirect(302, std::move(*url));
}

Response consume(const ApiContext& ctx, services::SamlService& saml, Request& request) {
  const auto type = request.header("content-type").value_or("");
  const bool form = type.starts_with("application/x-www-form-urlencoded");
  const auto finished = saml.finish(service_provider(ctx, request),
                                    form ? form_value(request.body, "SAMLResponse") : "",
                                    form ? form_value(request.body, "RelayState") : "", request.ip);
  if (!finished.signed_in) return failed(finished.return_to, *finished.error);
  return signed_in_redirect(request, *finished.signed_in, finished.return_to);
}

}  // namespace

void add_saml_routes(Router& router, ApiContext& ctx) {
  if (!ctx.saml) return;
  auto& saml = *ctx.saml;
  using namespace schema;
  router.add("GET", std::string(kMetadataPath), Access::kPublic, "auth",
             "This server's SAML service-provider metadata (its entity ID is this URL)",
             doc("getSamlMetadata")
                 .describe("Give it to the identity provider (or its URL, which is also our "
                           "entity ID). The ACS takes the HTTP-POST binding; requests are not "
                           "signed; assertions must be. Built on the address the request came "
                           "to (its Host).")
                 .returns(200, string(), "SAML metadata.", "application/samlmetadata+xml"),
             [&ctx](Request& r) { return metadata(ctx, r); });
  add_buttons_route(router, "/api/v1/auth/saml/providers", "listSamlSignInProviders",
                    "SAML identity providers", "saml-providers",
                    [&saml] { return saml.buttons(); });
  router.add(
      "GET", "/api/v1/auth/saml/{id}/start", Access::kPublic, "auth",
      "Sign in through a SAML identity provider: redirects the browser to it",
      doc("startSamlSignIn")
          .describe("302 to the IdP's sign-in URL with an AuthnRequest (HTTP-Redirect binding) "
                    "and a RelayState good for one Response within 10 minutes. `return_to` is a "
                    "path here (default /desk). On an error the redirect goes to the sign-in "
                    "page with `sso_error` and `sso_reason`.")
          .path("id", integer())
          .query("return_to", string().max_length(500), "Where to go once signed in.")
          .returns_nothing(302, "To the IdP, or back to the sign-in page with sso_error."),
      [&ctx, &saml](Request& r) { return start(ctx, saml, r); });
  router.add(
      "POST", std::string(kAcsPath), Access::kPublic, "auth",
      "The Assertion Consumer Service: the IdP's Response, posted by the browser",
      doc("consumeSamlResponse")
          .describe("HTTP-POST binding. The RelayState must name a sign-in started here; the "
                    "Response or its assertion must be signed by the IdP's certificate, for "
                    "our entity ID and ACS, answer that sign-in's request, be within its "
                    "validity window (two minutes' skew) and not seen before. Then 302 to "
                    "`return_to` with the session cookie. Any failure is 302 to the sign-in "
                    "page with `sso_error` and `sso_reason`, audited as `auth.saml_failed`.")
          .body(object({{"SAMLResponse", string()}, {"RelayState", string().max_length(200)}}),
                "application/x-www-form-urlencoded")
          .returns_nothing(302, "To return_to signed in, or to the sign-in page with sso_error.")
          .with_headers({"Set-Cookie"}),
      [&ctx, &saml](Request& r) { return consume(ctx, saml, r); });
}

}  // namespace gongdan::api
