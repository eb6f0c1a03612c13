// Links mailed to customers: sign-in links (password-less sign-in) and the link that proves a
// sign-up's address.
#include "api/browser_post.hpp"
#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "api/user_json.hpp"
#include "channels/email/driver/link_mailer.hpp"
#include "services/self_service.hpp"
#include "util/clock.hpp"

namespace gongdan::api {
namespace {

std::string base_of(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

// "Hello Li Lei" (or "Hello" alone): the mails' greeting, before its comma.
std::string greeting(std::string_view hello, const std::string& name) {
  return std::string(hello) + (name.empty() ? std::string() : " " + name);
}

// A link mail's words in one language: its subject, what the link does, and what to do when one
// did not ask for it.
struct LinkWords {
  std::string_view subject;
  std::string_view action;
  std::string_view not_you;
};

// A mail carrying a one-time link, in Chinese for zh-CN and in English otherwise: the greeting,
// what the link does and for how many minutes, the link, and what to do if one did not ask.
email::LinkMail link_mail_of(const std::string& name, std::string_view locale,
                             const std::string& url, const std::string& minutes,
                             const LinkWords& zh, const LinkWords& en) {
  email::LinkMail mail;
  mail.to_name = name;
  if (locale == "zh-CN") {
    mail.subject = zh.subject;
    mail.text = greeting("您好", name) + "：\n\n" + std::string(zh.action) + "（" + minutes +
                " 分钟内有效，只能使用一次）：\n\n" + url + "\n\n" + std::string(zh.not_you) + "\n";
  } else {
    mail.subject = en.subject;
    mail.text = greeting("Hello", name) + ",\n\n" + std::string(en.action) + " (valid for " +
                minutes + " minutes, usable once):\n\n" + url + "\n\n" + std::string(en.not_you) +
                "\n";
  }
  return mail;
}

// The mail that carries a sign-in link, in the customer's language. The token travels in the
// URL's fragment, which browsers never send to a server: it stays out of access logs, proxies
// and Referer headers, and the portal page posts it to redeem it.
email::LinkMail link_mail(const services::LoginLink& link, const std::string& public_url) {
  auto mail = link_mail_of(
      link.user.name, link.user.locale, base_of(public_url) + "/portal/link#" + link.token, "15",
      {"登录支持门户", "请用下面的链接登录支持门户",
       "如果不是您本人申请的，请忽略这封邮件：没有这个链接，谁也无法登录。"},
      {"Your sign-in link", "Sign in to the support portal with this link",
       "If you did not ask for it, ignore this mail: nobody can sign in without the link."});
  mail.mailbox_id = link.mailbox_id;
  mail.to_address = link.user.email;
  return mail;
}

// Always the same answer whether or not the address has an account, so it reveals nothing.
Result<Response> request_link(ApiContext& ctx, email::LinkMailer& mailer, Request& request) {
  if (auto refused = refuse_cross_site(ctx, request)) return std::move(*refused);
  GONGDAN_ASSIGN(auto body, parse_object(request.body, {"email"}));
  GONGDAN_ASSIGN(auto email, required_string(body, "email", 254));
  if (ctx.public_url.empty())
    return fail(ErrorCode::kUnavailable, "sign-in links need public_url in the configuration");
  GONGDAN_ASSIGN(auto link, ctx.auth.issue_login_link(email, request.ip));
  if (link) mailer.send_later(link_mail(*link, ctx.public_url));
  return json_response(202, json::object{{"accepted", true}});
}

Result<Response> redeem_link(ApiContext& ctx, Request& request) {
  if (auto refused = refuse_cross_site(ctx, request)) return std::move(*refused);
  GONGDAN_ASSIGN(auto body, parse_object(request.body, {"token"}));
  GONGDAN_ASSIGN(auto token, required_string(body, "token", 200));
  GONGDAN_ASSIGN(auto signed_in, ctx.auth.redeem_login_link(token, request.ip));
  return signed_in_response(request, signed_in, true);
}

// The mail that proves a sign-up's address, in the language chosen on the form; the token
// travels in the URL's fragment like a sign-in link's.
email::LinkMail sign_up_mail(const services::SignUpLink& link, const std::string& public_url) {
  auto mail = link_mail_of(
      link.name, link.locale, base_of(public_url) + "/portal/verify#" + link.token,
      std::to_string(services::kSignUpLinkLifetimeMs / 60000),
      {"确认您的邮箱地址", "请用下面的链接确认邮箱地址并完成注册",
       "如果不是您本人注册的，请忽略这封邮件：没有这个链接，谁也无法用这个地址注册。"},
      {"Confirm your email address", "Confirm your address and finish signing up with this link",
       "If you did not sign up, ignore this mail: nobody can use your address without the link."});
  mail.mailbox_id = link.mailbox_id;
  mail.to_address = link.email;
  return mail;
}

// A sign-up proves its address first: the answer is the same 202 whatever the address, and
// the account exists only once the mailed link is redeemed.
Result<Response> sign_up(ApiContext& ctx, services::SelfService& self, email::LinkMailer& mailer,
                         Request& request) {
  if (auto refused = refuse_cross_site(ctx, request)) return std::move(*refused);
  GONGDAN_ASSIGN(auto body,
                 parse_object(request.body, {"name", "email", "password", "locale", "time_zone"}));
  services::SignUp s;
  GONGDAN_ASSIGN(s.email, required_string(body, "email", 254));
  GONGDAN_ASSIGN(s.password, required_string(body, "password", 1024));
  GONGDAN_ASSIGN(auto name, optional_string(body, "name", 200));
  GONGDAN_ASSIGN(auto locale, optional_string(body, "locale", 16));
  GONGDAN_ASSIGN(auto time_zone, optional_string(body, "time_zone", 64));
  if (ctx.public_url.empty())
    return fail(ErrorCode::kUnavailable, "sign-up needs public_url in the configuration");
  s.name = name.value_or("");
  s.locale = locale.value_or("en");
  s.time_zone = time_zone.value_or("UTC");
  GONGDAN_ASSIGN(auto link, self.sign_up(std::move(s), request.ip));
  if (link) mailer.send_later(sign_up_mail(*link, ctx.public_url));
  auto r = json_response(202, json::object{{"accepted", true}});
  r.set_header("Cache-Control", "no-store");
  return r;
}

Result<Response> verify_sign_up(ApiContext& ctx, services::SelfService& self, Request& request) {
  if (auto refused = refuse_cross_site(ctx, request)) return std::move(*refused);
  GONGDAN_ASSIGN(auto body, parse_object(request.body, {"token"}));
  GONGDAN_ASSIGN(auto token, required_string(body, "token", 200));
  GONGDAN_ASSIGN(auto signed_in, self.verify_sign_up(token, request.ip));
  auto r = signed_in_response(request, signed_in, true);
  r.status = 201;
  return r;
}

}  // namespace

void add_login_link_routes(Router& router, ApiContext& ctx) {
  using namespace schema;
  auto mailer = std::make_shared<email::LinkMailer>(ctx.mailboxes);
  auto* self = &ctx.self;
  const auto accepted = object({{"accepted", const_of(true)}}).require_all();
  const auto token_body = object({{"token", string().max_length(200)}}).require_all();
  router.add(
      "POST", "/api/v1/auth/signup", Access::kPublic, "auth",
      "Customer self-registration: mails a one-time link that proves the address; 202 "
      "whatever the address (rate-limited per address)",
      doc("signUp")
          .describe("Nothing is created until the link mailed to the address "
                    "(`<public_url>/portal/verify#<token>`, valid 60 minutes, usable once) is "
                    "redeemed with `POST /api/v1/auth/signup/verify`. The same 202 whether or "
                    "not the address is taken: an agent's or a deactivated contact's address "
                    "gets no mail. 503 when `public_url` is not configured or no mailbox can "
                    "send. JSON only (415); a browser's Origin must be this server's (403).")
          .body(profile_properties()
                    .extend({{"email", email_schema()}, {"password", password_schema()}})
                    .require({"email", "password"}))
          .returns(202, accepted)
          .errors({403, 415, 429, 503}),
      [&ctx, self, mailer](Request& r) { return answer(sign_up(ctx, *self, *mailer, r)); });
  router.add("POST", "/api/v1/auth/signup/verify", Access::kPublic, "auth",
             "Finish a sign-up with the token of its mailed link (once): creates or claims the "
             "customer and sets the session cookie",
             signed_in_doc("verifySignUp", 201)
                 .describe("Creates the customer, or gives the contact that already holds the "
                           "address (as its email or one of its other emails) the chosen "
                           "password. 401 for a token that is unknown, used or expired.")
                 .body(token_body)
                 .errors({401, 403, 415}),
             [&ctx, self](Request& r) { return answer(verify_sign_up(ctx, *self, r)); });
  router.add("POST", "/api/v1/auth/link", Access::kPublic, "auth",
             "Mail a customer a one-time sign-in link (15 minutes); 202 whether or not the "
             "address has an account",
             doc("requestSignInLink")
                 .describe("The same answer whether or not the address belongs to anyone. For "
                           "an active customer's address a mail goes out with "
                           "`<public_url>/portal/link#<token>` (valid 15 minutes, usable once). "
                           "503 when `public_url` is not configured or no mailbox can send.")
                 .body(object({{"email", email_schema()}}).require_all())
                 .returns(202, accepted)
                 .errors({403, 415, 429, 503}),
             [&ctx, mailer](Request& r) { return answer(request_link(ctx, *mailer, r)); });
  router.add("POST", "/api/v1/auth/link/redeem", Access::kPublic, "auth",
             "Sign in with the token of a mailed link (once); sets the session cookie",
             signed_in_doc("redeemSignInLink")
                 .describe("401 for a token that is unknown, used, expired, or whose account "
                           "was deactivated since.")
                 .body(token_body)
                 .errors({401, 403, 415, 429}),
             [&ctx](Request& r) { return answer(redeem_link(ctx, r)); });
}

}  // namespace gongdan::api
