#include "api/context.hpp"
#include "api/dispatcher.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "api/user_json.hpp"
#include "channels/email/driver/link_mailer.hpp"
#include "services/self_service.hpp"
#include "util/clock.hpp"

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

// The fields a person sets about themselves, when they sign up or edit their profile.
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

Response sign_up(services::SelfService& self, Request& request) {
  auto body = parse_object(request.body, {"name", "email", "password", "locale", "time_zone"});
  if (!body) return error_response(body.error());
  services::SignUp s;
  auto email = required_string(*body, "email", 254);
  if (!email) return error_response(email.error());
  auto password = required_string(*body, "password", 1024);
  if (!password) return error_response(password.error());
  auto profile = read_profile(*body);
  if (!profile) return error_response(profile.error());
  s.email = *email;
  s.password = *password;
  s.name = profile->name.value_or("");
  s.locale = profile->locale.value_or("en");
  s.time_zone = profile->time_zone.value_or("UTC");
  auto signed_in = self.sign_up(std::move(s), request.ip);
  if (!signed_in) return error_response(signed_in.error());
  auto r = signed_in_response(request, *signed_in, true);
  r.status = 201;
  return r;
}

// The embeddable form: anonymous, so it takes no cookie and needs no CSRF token; "website" is
// the honeypot (hidden from people), and a filled one is answered like a success.
Response submit_web_form(services::SelfService& self, Request& request) {
  auto body =
      parse_object(request.body, {"name", "email", "subject", "body", "department", "website"});
  if (!body) return error_response(body.error());
  services::WebFormSubmission form;
  auto email = required_string(*body, "email", 254);
  if (!email) return error_response(email.error());
  auto text = required_string(*body, "body", 100000);
  if (!text) return error_response(text.error());
  auto name = optional_string(*body, "name", 200);
  if (!name) return error_response(name.error());
  auto subject = optional_string(*body, "subject", 500);
  if (!subject) return error_response(subject.error());
  auto website = optional_string(*body, "website", 2000);
  if (!website) return error_response(website.error());
  if (const auto* department = body->if_contains("department");
      department && !department->is_null()) {
    if (!department->is_int64())
      return error_response(
          {ErrorCode::kInvalidArgument, "department must be a department id", "department"});
    form.department_id = department->as_int64();
  }
  form.email = *email;
  form.body = *text;
  form.name = name->value_or("");
  form.subject = subject->value_or("");
  form.honeypot = website->value_or("");
  auto number = self.submit_form(std::move(form), request.ip);
  if (!number) return error_response(number.error());
  return json_response(
      201, json::object{{"accepted", true},
                        {"number", *number ? json::value(**number) : json::value(nullptr)}});
}

// The mail that carries a sign-in link, in the customer's language. The token travels in the
// URL's fragment, which browsers never send to a server: it stays out of access logs, proxies
// and Referer headers, and the portal page posts it to redeem it.
email::LinkMail link_mail(const services::LoginLink& link, const std::string& public_url) {
  std::string base = public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string url = base + "/portal/link#" + link.token;
  const std::string minutes = "15";
  email::LinkMail mail;
  mail.mailbox_id = link.mailbox_id;
  mail.to_address = link.user.email;
  mail.to_name = link.user.name;
  if (link.user.locale == "zh-CN") {
    mail.subject = "登录支持门户";
    mail.text = "您好" + (link.user.name.empty() ? std::string() : " " + link.user.name) +
                "：\n\n请用下面的链接登录支持门户（" + minutes +
                " 分钟内有效，只能使用一次）：\n\n" + url +
                "\n\n如果不是您本人申请的，请忽略这封邮件：没有这个链接，谁也无法登录。\n";
  } else {
    mail.subject = "Your sign-in link";
    mail.text = "Hello" + (link.user.name.empty() ? std::string() : " " + link.user.name) +
                ",\n\nSign in to the support portal with this link (valid for " + minutes +
                " minutes, usable once):\n\n" + url +
                "\n\nIf you did not ask for it, ignore this mail: nobody can sign in without "
                "the link.\n";
  }
  return mail;
}

// Always the same answer whether or not the address has an account, so it reveals nothing.
Response request_link(ApiContext& ctx, email::LinkMailer& mailer, Request& request) {
  auto body = parse_object(request.body, {"email"});
  if (!body) return error_response(body.error());
  auto email = required_string(*body, "email", 254);
  if (!email) return error_response(email.error());
  if (ctx.public_url.empty())
    return error_response(
        {ErrorCode::kUnavailable, "sign-in links need public_url in the configuration", {}});
  auto link = ctx.auth.issue_login_link(*email, request.ip);
  if (!link) return error_response(link.error());
  if (*link) mailer.send_later(link_mail(**link, ctx.public_url));
  return json_response(202, json::object{{"accepted", true}});
}

Response redeem_link(ApiContext& ctx, Request& request) {
  auto body = parse_object(request.body, {"token"});
  if (!body) return error_response(body.error());
  auto token = required_string(*body, "token", 200);
  if (!token) return error_response(token.error());
  auto signed_in = ctx.auth.redeem_login_link(*token, request.ip);
  if (!signed_in) return error_response(signed_in.error());
  return signed_in_response(request, *signed_in, true);
}

using namespace schema;

Schema email_schema() { return string().max_length(254); }
Schema password_schema() { return string().max_length(1024); }

RouteDoc signed_in_doc(std::string id, unsigned status = 200) {
  return doc(std::move(id))
      .returns(status, ref("SignedIn"), "Signed in: the session cookie and its CSRF token.")
      .with_headers({"Set-Cookie"});
}

}  // namespace

void add_login_link_routes(Router& router, ApiContext& ctx) {
  auto mailer = std::make_shared<email::LinkMailer>(ctx.mailboxes);
  router.add("POST", "/api/v1/auth/link", Access::kPublic, "auth",
             "Mail a customer a one-time sign-in link (15 minutes); 202 whether or not the "
             "address has an account",
             doc("requestSignInLink")
                 .describe("The same answer whether or not the address belongs to anyone. For "
                           "an active customer's address a mail goes out with "
                           "`<public_url>/portal/link#<token>` (valid 15 minutes, usable once). "
                           "503 when `public_url` is not configured or no mailbox can send.")
                 .body(object({{"email", email_schema()}}).require_all())
                 .returns(202, object({{"accepted", const_of(true)}}).require_all())
                 .errors({429, 503}),
             [&ctx, mailer](Request& r) { return request_link(ctx, *mailer, r); });
  router.add("POST", "/api/v1/auth/link/redeem", Access::kPublic, "auth",
             "Sign in with the token of a mailed link (once); sets the session cookie",
             signed_in_doc("redeemSignInLink")
                 .describe("401 for a token that is unknown, used, expired, or whose account "
                           "was deactivated since.")
                 .body(object({{"token", string().max_length(200)}}).require_all())
                 .errors({401, 429}),
             [&ctx](Request& r) { return redeem_link(ctx, r); });
}

void add_auth_routes(Router& router, ApiContext& ctx) {
  router.define_schema("SignedIn",
                       object({{"user", ref("User")}, {"csrf_token", string()}}).require_all());
  auto self = std::make_shared<services::SelfService>(ctx.auth, ctx.users, ctx.tickets, *ctx.clock);
  router.add("POST", "/api/v1/auth/signup", Access::kPublic, "auth",
             "Customer self-registration; signs the new customer in (rate-limited per address)",
             signed_in_doc("signUp", 201)
                 .body(profile_properties()
                           .extend({{"email", email_schema()}, {"password", password_schema()}})
                           .require({"email", "password"}))
                 .errors({409, 429}),
             [self](Request& r) { return sign_up(*self, r); });
  router.add(
      "POST", "/api/v1/web-form", Access::kPublic, "tickets",
      "Anonymous ticket from the embeddable web form (rate-limited, honeypot)",
      doc("submitWebForm")
          .describe("An anonymous ticket (channel `web`) whose requester is the contact "
                    "with that email (created when new); no cookie or CSRF token. "
                    "`website` is a honeypot hidden from people: when it is filled the "
                    "answer is the same 201 with `number: null` and nothing is made.")
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
          .errors({429}),
      [self](Request& r) { return submit_web_form(*self, r); });
  router.add(
      "POST", "/api/v1/auth/login", Access::kPublic, "auth",
      "Sign in with email and password; sets the session cookie",
      signed_in_doc("signIn")
          .describe("A wrong password and an unknown email get the same 401; repeated "
                    "failures for an account or from an address are 429 with "
                    "Retry-After.")
          .body(object({{"email", email_schema()}, {"password", password_schema()}}).require_all())
          .errors({401, 429}),
      [&ctx](Request& r) { return login(ctx, r); });
  router.add("POST", "/api/v1/auth/logout", Access::kSignedIn, "auth", "End this session",
             doc("signOut").returns_nothing(204).with_headers({"Set-Cookie"}),
             [&ctx](Request& r) { return logout(ctx, r); });
  router.add("GET", "/api/v1/me", Access::kSignedIn, "auth", "The signed-in user",
             doc("getMe")
                 .describe("With a session cookie the answer carries the session's CSRF token "
                           "in `X-CSRF-Token`, so a page loaded later learns it.")
                 .returns(200, ref("User"))
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
                           "The answer sets a new session cookie.")
                 .body(object({{"current_password", password_schema()},
                               {"new_password", password_schema().min_length(8)}})
                           .require_all())
                 .returns(200, object({{"csrf_token", string()}}).require_all())
                 .with_headers({"Set-Cookie"}),
             [&ctx](Request& r) { return change_password(ctx, r); });
}

}  // namespace gongdan::api
