#include "api/browser_post.hpp"
#include "api/context.hpp"
#include "api/dispatcher.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "api/user_json.hpp"
#include "services/self_service.hpp"
#include "util/clock.hpp"

namespace gongdan::api {
namespace {

Response login(ApiContext& ctx, Request& request) {
  if (auto refused = refuse_cross_site(ctx, request)) return std::move(*refused);
  auto body = parse_object(request.body, {"email", "password"});
  if (!body) return error_response(body.error());
  auto email = required_string(*body, "email", 254);
  if (!email) return error_response(email.error());
  auto password = required_string(*body, "password", 1024);
  if (!password) return error_response(password.error());
  if (!ctx.second_factor) {
    auto signed_in = ctx.auth.login(*email, *password, request.ip);
    if (!signed_in) return error_response(signed_in.error());
    return signed_in_response(request, *signed_in, true);
  }
  auto step = ctx.second_factor->sign_in(*email, *password, request.ip,
                                         request.cookie(kDeviceCookie).value_or(""));
  if (!step) return error_response(step.error());
  if (step->signed_in) return signed_in_response(request, *step->signed_in, true);
  auto r = json_response(202, json::object{{"second_factor", "totp"},
                                           {"challenge", step->challenge},
                                           {"expires_at", iso_time(step->challenge_expires_at)}});
  r.set_header("Cache-Control", "no-store");
  return r;
}

Response logout(ApiContext& ctx, Request& request) {
  if (auto done = ctx.auth.logout(request.who()); !done) return error_response(done.error());
  auto r = no_content();
  r.set_header("Set-Cookie", session_cookie(request, "", true));
  return r;
}

Response change_password(ApiContext& ctx, Request& request) {
  auto body = parse_object(request.body, {"current_password", "new_password", "revoke_tokens"});
  if (!body) return error_response(body.error());
  auto current = required_string(*body, "current_password", 1024);
  if (!current) return error_response(current.error());
  auto replacement = required_string(*body, "new_password", 1024);
  if (!replacement) return error_response(replacement.error());
  auto revoke = optional_bool(*body, "revoke_tokens");
  if (!revoke) return error_response(revoke.error());
  auto signed_in = ctx.auth.change_password(
      request.who(), *current, *replacement,
      revoke->value_or(true) ? services::ApiTokens::kRevoke : services::ApiTokens::kKeep);
  if (!signed_in) return error_response(signed_in.error());
  return signed_in_response(request, *signed_in, false);
}

// A page loaded with a session cookie learns its CSRF token here (a header, so the user object
// stays the same everywhere; other sites cannot read it: no CORS).
Response me(const Request& request) {
  const auto& who = request.who();
  auto r =
      json_response(200, me_json(who.user, who.is_agent() ? who.permissions() : PermissionSet{}));
  if (request.who().via == services::CredentialKind::kSession) {
    r.set_header("X-CSRF-Token", request.who().csrf_token);
    r.set_header("Cache-Control", "no-store");
  }
  return r;
}

// The fields a person sets about themselves when they edit their profile.
struct ProfileFields {
  std::optional<std::string> name;
  std::optional<std::string> locale;
  std::optional<std::string> time_zone;
};

Result<ProfileFields> read_profile(const json::object& body) {
  ProfileFields p;
  GONGDAN_ASSIGN(p.name, optional_string(body, "name", 200));
  GONGDAN_ASSIGN(p.locale, optional_string(body, "locale", 16));
  GONGDAN_ASSIGN(p.time_zone, optional_string(body, "time_zone", 64));
  return p;
}

Response update_me(ApiContext& ctx, Request& request) {
  auto body = parse_object(request.body, {"name", "locale", "time_zone"});
  if (!body) return error_response(body.error());
  auto profile = read_profile(*body);
  if (!profile) return error_response(profile.error());
  services::UserChanges changes;
  changes.name = profile->name;
  changes.locale = profile->locale;
  changes.time_zone = profile->time_zone;
  auto updated = ctx.users.update_profile(request.who(), changes);
  if (!updated) return error_response(updated.error());
  return json_response(200, user_json(*updated));
}

// The embeddable form: anonymous, so it takes no cookie and needs no CSRF token; "website" is
// the honeypot (hidden from people), and a filled one is answered like a success.
Result<Response> submit_web_form(services::SelfService& self, Request& request) {
  GONGDAN_ASSIGN(auto body, parse_object(request.body, {"name", "email", "subject", "body",
                                                        "department", "website"}));
  services::WebFormSubmission form;
  GONGDAN_ASSIGN(form.email, required_string(body, "email", 254));
  GONGDAN_ASSIGN(form.body, required_string(body, "body", 100000));
  GONGDAN_ASSIGN(auto name, optional_string(body, "name", 200));
  GONGDAN_ASSIGN(auto subject, optional_string(body, "subject", 500));
  GONGDAN_ASSIGN(auto website, optional_string(body, "website", 2000));
  if (const auto* department = body.if_contains("department");
      department && !department->is_null()) {
    if (!department->is_int64())
      return fail(ErrorCode::kInvalidArgument, "department must be a department id", "department");
    form.department_id = department->as_int64();
  }
  form.name = name.value_or("");
  form.subject = subject.value_or("");
  form.honeypot = website.value_or("");
  GONGDAN_ASSIGN(auto number, self.submit_form(std::move(form), request.ip));
  return json_response(201, json::object{{"accepted", true}, {"number", or_null(number)}});
}

using namespace schema;

}  // namespace

void add_auth_routes(Router& router, ApiContext& ctx) {
  router.define_schema("SignedIn",
                       object({{"user", ref("Me")}, {"csrf_token", string()}}).require_all());
  auto* self = &ctx.self;
  router.add(
      "POST", "/api/v1/web-form", Access::kPublic, "tickets",
      "Anonymous ticket from the embeddable web form (rate-limited, honeypot)",
      doc("submitWebForm")
          .describe("An anonymous ticket (channel `web`) whose requester is the contact "
                    "with that email (created when new); no cookie or CSRF token. "
                    "`website` is a honeypot hidden from people: when it is filled the "
                    "answer is the same 201 with `number: null` and nothing is made. An "
                    "address of a member of the support team is 403 (`field: email`): "
                    "nobody files as staff without signing in.")
          .body(object({{"email", email_schema()},
                        {"body", string().max_length(100000)},
                        {"name", string().max_length(200)},
                        {"subject", string().max_length(500)},
                        {"department", nullable(integer())},
                        {"website", string().max_length(2000)}})
                    .require({"email", "body"}))
          .returns(
              201,
              object({{"accepted", const_of(true)}, {"number", nullable(integer())}}).require_all())
          .errors({403, 429}),
      [self](Request& r) { return answer(submit_web_form(*self, r)); });
  router.add(
      "POST", "/api/v1/auth/login", Access::kPublic, "auth",
      "Sign in with email and password; sets the session cookie",
      signed_in_doc("signIn")
          .describe("A wrong password and an unknown email get the same 401. Repeated "
                    "failures for an account from one address make that address wait (429 "
                    "with Retry-After, doubling); too many from one address over all accounts "
                    "are 429 too. JSON only (415), and a browser's Origin must be this "
                    "server's (403): no login CSRF. For an account with two-factor sign-in "
                    "the answer is 202 with a `challenge` instead of a session, answered by "
                    "`POST /api/v1/auth/second-factor` (unless the browser's `gongdan_device` "
                    "cookie says it was remembered). An account without a password of its own "
                    "is tried against the LDAP directories (docs/identity.md): 403 when the "
                    "person's groups give no access, 409 when the entry's email belongs to an "
                    "account with its own password, 503 when no directory can be reached.")
          .body(object({{"email", email_schema()}, {"password", password_schema()}}).require_all())
          .returns(202,
                   object({{"second_factor", const_of("totp")},
                           {"challenge", string()},
                           {"expires_at", date_time()}})
                       .require_all(),
                   "The password was right; the second step is due.")
          .errors({401, 403, 409, 415, 429, 503}),
      [&ctx](Request& r) { return login(ctx, r); });
  router.add("POST", "/api/v1/auth/logout", Access::kSignedIn, "auth", "End this session",
             doc("signOut").returns_nothing(204).with_headers({"Set-Cookie"}),
             [&ctx](Request& r) { return logout(ctx, r); });
  router.add("GET", "/api/v1/me", Access::kSignedIn, "auth", "The signed-in user",
             doc("getMe")
                 .describe("With a session cookie the answer carries the session's CSRF token "
                           "in `X-CSRF-Token`, so a page loaded later learns it. `permissions` "
                           "are what the user's role allows (docs/permissions.md): the desk "
                           "shows what they name; customers hold none.")
                 .returns(200, ref("Me"))
                 .with_headers({"X-CSRF-Token"}),
             [](Request& r) { return me(r); });
  router.add("PATCH", "/api/v1/me", Access::kSignedIn, "auth",
             "Change one's own name, language and time zone",
             doc("updateMe").body(profile_properties()).returns(200, ref("User")),
             [&ctx](Request& r) { return update_me(ctx, r); });
  router.add("POST", "/api/v1/me/password", Access::kSignedIn, "auth",
             "Change the password; ends every other session",
             doc("changePassword")
                 .describe("A wrong current password is 400 with `field: current_password`. "
                           "The answer sets a new session cookie. The user's API tokens are "
                           "revoked too unless `revoke_tokens` is false.")
                 .body(object({{"current_password", password_schema()},
                               {"new_password", password_schema().min_length(8)},
                               {"revoke_tokens", boolean().describe("Default true.")}})
                           .require({"current_password", "new_password"}))
                 .returns(200, object({{"csrf_token", string()}}).require_all())
                 .with_headers({"Set-Cookie"}),
             [&ctx](Request& r) { return change_password(ctx, r); });
}

}  // namespace gongdan::api
