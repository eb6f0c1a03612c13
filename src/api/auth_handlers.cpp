#include "api/context.hpp"
#include "api/dispatcher.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "api/user_json.hpp"

namespace gongdan::api {
namespace {

std::string session_cookie(const Request& request, std::string_view token, bool clear) {
  std::string cookie =
      std::string(kSessionCookie) + "=" + std::string(token) + "; Path=/; HttpOnly; SameSite=Lax";
  cookie += clear ? "; Max-Age=0" : "; Max-Age=1209600";
  if (request.secure) cookie += "; Secure";
  return cookie;
}

Response signed_in_response(const Request& request, const services::SignedIn& s, bool with_user) {
  json::object body{{"csrf_token", s.csrf_token}};
  if (with_user) body["user"] = user_json(s.user);
  auto r = json_response(200, body);
  r.set_header("Set-Cookie", session_cookie(request, s.session_token, false));
  r.set_header("Cache-Control", "no-store");
  return r;
}

Response login(ApiContext& ctx, Request& request) {
  auto body = parse_object(request.body, {"email", "password"});
  if (!body) return error_response(body.error());
  auto email = required_string(*body, "email", 254);
  if (!email) return error_response(email.error());
  auto password = required_string(*body, "password", 1024);
  if (!password) return error_response(password.error());
  auto signed_in = ctx.auth.login(*email, *password, request.ip);
  if (!signed_in) return error_response(signed_in.error());
  return signed_in_response(request, *signed_in, true);
}

Response logout(ApiContext& ctx, Request& request) {
  if (auto done = ctx.auth.logout(request.who()); !done) return error_response(done.error());
  auto r = no_content();
  r.set_header("Set-Cookie", session_cookie(request, "", true));
  return r;
}

Response change_password(ApiContext& ctx, Request& request) {
  auto body = parse_object(request.body, {"current_password", "new_password"});
  if (!body) return error_response(body.error());
  auto current = required_string(*body, "current_password", 1024);
  if (!current) return error_response(current.error());
  auto replacement = required_string(*body, "new_password", 1024);
  if (!replacement) return error_response(replacement.error());
  auto signed_in = ctx.auth.change_password(request.who(), *current, *replacement);
  if (!signed_in) return error_response(signed_in.error());
  return signed_in_response(request, *signed_in, false);
}

// A page loaded with a session cookie learns its CSRF token here (a header, so the user object
// stays the same everywhere; other sites cannot read it: no CORS).
Response me(const Request& request) {
  auto r = json_response(200, user_json(request.who().user));
  if (request.who().via == services::CredentialKind::kSession) {
    r.set_header("X-CSRF-Token", request.who().csrf_token);
    r.set_header("Cache-Control", "no-store");
  }
  return r;
}

}  // namespace

void add_auth_routes(Router& router, ApiContext& ctx) {
  router.add("POST", "/api/v1/auth/login", Access::kPublic, "auth",
             "Sign in with email and password; sets the session cookie",
             [&ctx](Request& r) { return login(ctx, r); });
  router.add("POST", "/api/v1/auth/logout", Access::kSignedIn, "auth", "End this session",
             [&ctx](Request& r) { return logout(ctx, r); });
  router.add("GET", "/api/v1/me", Access::kSignedIn, "auth", "The signed-in user",
             [](Request& r) { return me(r); });
  router.add("POST", "/api/v1/me/password", Access::kSignedIn, "auth",
             "Change the password; ends every other session",
             [&ctx](Request& r) { return change_password(ctx, r); });
}

}  // namespace gongdan::api
