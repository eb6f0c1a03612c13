// OpenID Connect sign-in's browser side (services/oidc_service.hpp): the buttons the sign-in
// pages show, the redirect to a provider, and the return from it. Both redirects are top-level
// navigations, so their errors are redirects too: to the sign-in page the person came from,
// with the reason in `sso_error` for the page to show.
#include "api/context.hpp"
#include "api/json.hpp"
#include "api/redirect.hpp"
#include "api/router.hpp"
#include "api/sign_in_redirect.hpp"
#include "services/oidc_service.hpp"

namespace gongdan::api {
namespace {

constexpr std::string_view kOidcCookie = "gongdan_oidc";
constexpr std::string_view kCallbackPath = "/api/v1/auth/oidc/callback";

std::string oidc_cookie(const Request& request, std::string_view value, bool clear) {
  std::string cookie = std::string(kOidcCookie) + "=" + std::string(value) +
                       "; Path=/api/v1/auth/oidc; HttpOnly; SameSite=Lax";
  cookie += clear ? "; Max-Age=0" : "; Max-Age=600";
  if (request.secure) cookie += "; Secure";
  return cookie;
}

// The sign-in page, saying what went wrong (the error's kind is not shown), and the sign-in's
// cookie gone.
Response failed(const Request& request, std::string_view return_to, const Error& error) {
  auto r = sign_in_failed(return_to, error, {});
  r.set_header("Set-Cookie", oidc_cookie(request, "", true));
  return r;
}

// This server's callback as the provider must know it: at the address the browser used, since
// the cookie that ties the sign-in to the browser is that host's (public_url without a Host).
// A forged Host only names a callback the provider was never told of, which it refuses.
std::string redirect_uri(const ApiContext& ctx, const Request& request) {
  return browser_base_url(ctx, request) + std::string(kCallbackPath);
}

Response start(const ApiContext& ctx, services::OidcService& oidc, Request& request) {
  const std::string return_to(request.query_value("return_to").value_or("/desk"));
  auto id = path_id(request, "id", "oidc_provider");
  if (!id) return failed(request, return_to, id.error());
  auto started = oidc.start(*id, redirect_uri(ctx, request), return_to);
  if (!started) return failed(request, return_to, started.error());
  auto r = redirect(302, started->authorization_url);
  r.set_header("Set-Cookie", oidc_cookie(request, started->browser_cookie, false));
  return r;
}

Response callback(services::OidcService& oidc, Request& request) {
  const auto finished = oidc.finish(request.query_value("state").value_or(""),
                                    request.query_value("code").value_or(""),
                                    request.query_value("error").value_or(""),
                                    request.cookie(kOidcCookie).value_or(""), request.ip);
  if (!finished.signed_in) return failed(request, finished.return_to, *finished.error);
  auto r = signed_in_redirect(request, *finished.signed_in, finished.return_to);
  r.set_header("Set-Cookie", oidc_cookie(request, "", true));
  return r;
}

}  // namespace

void add_oidc_routes(Router& router, ApiContext& ctx) {
  if (!ctx.oidc) return;
  auto& oidc = *ctx.oidc;
  using namespace schema;
  add_buttons_route(router, "/api/v1/auth/oidc/providers", "listSignInProviders",
                    "OpenID Connect providers", "oidc-providers",
                    [&oidc] { return oidc.buttons(); });
  router.add(
      "GET", "/api/v1/auth/oidc/{id}/start", Access::kPublic, "auth",
      "Sign in through an OpenID Connect provider: redirects the browser to it",
      doc("startOidcSignIn")
          .describe("302 to the provider's authorization endpoint (code flow, PKCE S256, state "
                    "and nonce), setting the `gongdan_oidc` cookie that ties the sign-in to this "
                    "browser for 10 minutes. `return_to` is a path here (default /desk). On an "
                    "error (an unknown provider, one that cannot be reached) the redirect goes "
                    "to the sign-in page with `sso_error`.")
          .path("id", integer())
          .query("return_to", string().max_length(500), "Where to go once signed in.")
          .returns_nothing(302, "To the provider, or back to the sign-in page with sso_error.")
          .with_headers({"Set-Cookie"}),
      [&ctx, &oidc](Request& r) { return start(ctx, oidc, r); });
  router.add(
      "GET", std::string(kCallbackPath), Access::kPublic, "auth",
      "Where an OpenID Connect provider sends the browser back: signs in and redirects",
      doc("finishOidcSignIn")
          .describe("Takes the state once (with the browser's `gongdan_oidc` cookie), trades "
                    "the code for tokens and checks the ID token (signature by the provider's "
                    "keys, issuer, audience, expiry, nonce); then 302 to `return_to` with the "
                    "session cookie. Any failure is 302 to the sign-in page with `sso_error` "
                    "saying why, audited as `auth.oidc_failed`.")
          .query("state", string().max_length(200), "As sent to the provider.")
          .query("code", string().max_length(2000), "The provider's authorization code.")
          .query("error", string().max_length(200), "The provider's error, instead of a code.")
          .returns_nothing(302, "To return_to signed in, or to the sign-in page with sso_error.")
          .with_headers({"Set-Cookie"}),
      [&oidc](Request& r) { return callback(oidc, r); });
}

}  // namespace gongdan::api
