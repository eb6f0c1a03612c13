// SAML 2.0 sign-in's browser side (services/saml_service.hpp): this service provider's
// metadata, the buttons the sign-in pages show, the redirect to an identity provider
// (HTTP-Redirect binding) and the Assertion Consumer Service the browser posts the Response to
// (HTTP-POST binding). Both are top-level navigations, so their errors are redirects too: to the
// sign-in page, with the reason in `sso_error` and its kind in `sso_reason` (the page words it
// in the reader's language).
#include <boost/url.hpp>

#include "api/browser_post.hpp"
#include "api/context.hpp"
#include "api/dispatcher.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "services/saml_service.hpp"
#include "util/text.hpp"

namespace gongdan::api {
namespace {

constexpr std::string_view kMetadataPath = "/api/v1/auth/saml/metadata";
constexpr std::string_view kAcsPath = "/api/v1/auth/saml/acs";

Response redirect_to(std::string location) {
  Response r;
  r.status = 302;
  r.content_type = "text/plain; charset=utf-8";
  r.set_header("Location", std::move(location));
  r.set_header("Cache-Control", "no-store");
  return r;
}

// The sign-in page of the part of the site `return_to` is in, saying what went wrong.
Response failed(std::string_view return_to, const Error& error) {
  boost::urls::url url(return_to.starts_with("/portal") ? "/portal/login" : "/desk/login");
  url.params().append({"sso_error", error.message});
  if (!error.field.empty()) url.params().append({"sso_reason", error.field});
  url.params().append({"next", return_to});
  return redirect_to(std::string(url.buffer()));
}

// This server as the IdP knows it, at the address the browser used (public_url without a
// Host), as OpenID Connect's callback is: the ACS must be where this browser can post, and the
// session cookie it sets is that host's. A forged Host only names an entity ID and ACS the IdP
// never issued an assertion for, which the checks refuse.
SamlServiceProvider service_provider(const ApiContext& ctx, const Request& request) {
  const auto host = request.header("host");
  std::string base = host && !host->empty()
                         ? (request.secure ? "https://" : "http://") + std::string(*host)
                         : ctx.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
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

Result<Response> buttons(services::SamlService& saml) {
  GONGDAN_ASSIGN(auto list, saml.buttons());
  json::array items;
  for (const auto& b : list)
    items.push_back(json::object{{"id", b.id}, {"label_en", b.label_en}, {"label_zh", b.label_zh}});
  return json_response(200, json::object{{"items", std::move(items)}});
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
  return redirect_to(std::move(*url));
}

Response consume(const ApiContext& ctx, services::SamlService& saml, Request& request) {
  const auto type = request.header("content-type").value_or("");
  const bool form = type.starts_with("application/x-www-form-urlencoded");
  const auto finished = saml.finish(service_provider(ctx, request),
                                    form ? form_value(request.body, "SAMLResponse") : "",
                                    form ? form_value(request.body, "RelayState") : "", request.ip);
  if (!finished.signed_in) return failed(finished.return_to, *finished.error);
  auto r = redirect_to(finished.return_to);
  r.set_header("Set-Cookie", session_cookie(request, finished.signed_in->session_token, false));
  return r;
}

schema::Schema button_list() {
  using namespace schema;
  return object(
             {{"items",
               array_of(object({{"id", integer()}, {"label_en", string()}, {"label_zh", string()}})
                            .require_all())}})
      .require_all();
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
  router.add("GET", "/api/v1/auth/saml/providers", Access::kPublic, "auth",
             "The SAML identity providers one may sign in through (a button each)",
             doc("listSamlSignInProviders")
                 .describe("The active providers of `saml-providers`: their button's label in "
                           "English and Chinese (the name when not set).")
                 .returns(200, button_list()),
             [&saml](Request&) { return answer(buttons(saml)); });
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
