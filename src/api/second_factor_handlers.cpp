// Two-factor sign-in: the second step of a sign-in, enrolling and turning off one's own
// second factor, an admin's reset of someone's, and the roles that must use one.
#include "api/answer_shape.hpp"
#include "api/browser_post.hpp"
#include "api/context.hpp"
#include "api/dispatcher.hpp"
#include "api/json.hpp"
#include "api/qr_code.hpp"
#include "api/router.hpp"
#include "api/ticket_body.hpp"
#include "services/second_factor.hpp"

namespace gongdan::api {
namespace {

std::string device_cookie(const Request& request, std::string_view token, Millis max_age_ms) {
  std::string cookie = std::string(kDeviceCookie) + "=" + std::string(token) +
                       "; Path=/api/v1/auth; HttpOnly; SameSite=Strict; Max-Age=" +
                       std::to_string(max_age_ms / 1000);
  if (request.secure) cookie += "; Secure";
  return cookie;
}

Result<Response> second_step(services::SecondFactorService& factors, const ApiContext& ctx,
                             Request& request) {
  if (auto refused = refuse_cross_site(ctx, request)) return std::move(*refused);
  GONGDAN_ASSIGN(auto body, parse_object(request.body, {"challenge", "code", "recovery_code",
                                                        "remember_device"}));
  services::SecondStep step;
  GONGDAN_ASSIGN(step.challenge, required_string(body, "challenge", 200));
  GONGDAN_ASSIGN(auto code, optional_string(body, "code", 16));
  GONGDAN_ASSIGN(auto recovery, optional_string(body, "recovery_code", 32));
  GONGDAN_ASSIGN(auto remember, optional_bool(body, "remember_device"));
  if (code.has_value() == recovery.has_value())
    return fail(ErrorCode::kInvalidArgument, "send either code or recovery_code", "code");
  step.code = code.value_or("");
  step.recovery_code = recovery.value_or("");
  step.remember_device = remember.value_or(false);
  GONGDAN_ASSIGN(auto done, factors.second_step(step, request.ip));
  auto r = signed_in_response(request, done.signed_in, true);
  if (!done.device_token.empty())
    r.set_header("Set-Cookie", device_cookie(request, done.device_token,
                                             done.device_expires_at - ctx.clock->now_ms()));
  return r;
}

using namespace shape;
using services::SecondFactorPolicy;
using services::SecondFactorStatus;

const AnswerShape<SecondFactorStatus> kStatusShape{
    boolean("enabled", &SecondFactorStatus::enabled).describe("Sign-in asks for a code."),
    boolean("pending", &SecondFactorStatus::pending).describe("A secret waits for its first code."),
    boolean("required", &SecondFactorStatus::required)
        .describe("The person's role must use a second factor."),
    integer("recovery_codes_left", &SecondFactorStatus::recovery_codes_left),
    instant("enabled_at", &SecondFactorStatus::enabled_at)};

Result<Response> status(services::SecondFactorService& factors, Request& request) {
  GONGDAN_ASSIGN(auto s, factors.status(request.who()));
  return json_response(200, kStatusShape.write(s));
}

Result<Response> enrol(services::SecondFactorService& factors, Request& request) {
  if (!request.body.empty()) GONGDAN_TRY(parse_object(request.body, {}));
  GONGDAN_ASSIGN(auto e, factors.start_enrolment(request.who()));
  auto r = json_response(
      201, json::object{
               {"secret", e.secret}, {"otpauth_uri", e.uri}, {"qr_code", qr_code_data_url(e.uri)}});
  r.set_header("Cache-Control", "no-store");
  return r;
}

Result<std::string> code_of(const Request& request) {
  GONGDAN_ASSIGN(auto body, parse_object(request.body, {"code"}));
  return required_string(body, "code", 32);
}

Result<Response> confirm(services::SecondFactorService& factors, Request& request) {
  GONGDAN_ASSIGN(auto code, code_of(request));
  GONGDAN_ASSIGN(auto codes, factors.confirm(request.who(), code));
  json::array list;
  for (const auto& c : codes) list.emplace_back(c);
  auto r = json_response(200, json::object{{"recovery_codes", std::move(list)}});
  r.set_header("Cache-Control", "no-store");
  return r;
}

Result<Response> disable(services::SecondFactorService& factors, Request& request) {
  GONGDAN_ASSIGN(auto code, code_of(request));
  GONGDAN_TRY(factors.disable(request.who(), code));
  return no_content();
}

Result<Response> reset(services::SecondFactorService& factors, Request& request) {
  GONGDAN_ASSIGN(auto id, path_id(request, "id", "user"));
  GONGDAN_TRY(factors.reset(request.who(), id));
  return no_content();
}

json::array role_names(const SecondFactorPolicy& policy) {
  json::array names;
  for (Role role : policy.roles) names.emplace_back(role_name(role));
  return names;
}

json::array custom_role_ids(const SecondFactorPolicy& policy) {
  json::array ids;
  for (auto id : policy.custom_roles) ids.emplace_back(id);
  return ids;
}

const AnswerShape<SecondFactorPolicy> kPolicyShape{
    computed<SecondFactorPolicy>(
        "required_roles", role_names,
        schema::array_of(schema::ref("Role"))
            .describe("Built-in roles whose holders must enrol, custom roles counted as one of "
                      "them included.")),
    computed<SecondFactorPolicy>(
        "required_custom_roles", custom_role_ids,
        schema::array_of(schema::integer())
            .describe("Ids of custom roles (`GET /api/v1/roles`) whose holders must enrol. A "
                      "role that is removed leaves the policy."))};

Result<Response> read_policy(services::SecondFactorService& factors, Request& request) {
  GONGDAN_ASSIGN(auto policy, factors.policy(request.who()));
  return json_response(200, kPolicyShape.write(policy));
}

Result<Response> write_policy(services::SecondFactorService& factors, Request& request) {
  GONGDAN_ASSIGN(auto body,
                 parse_object(request.body, {"required_roles", "required_custom_roles"}));
  GONGDAN_ASSIGN(auto names, optional_string_list(body, "required_roles"));
  if (!names)
    return fail(ErrorCode::kInvalidArgument, "required_roles is required", "required_roles");
  SecondFactorPolicy policy;
  for (const auto& name : *names) {
    auto role = parse_role(name);
    if (!role)
      return fail(ErrorCode::kInvalidArgument, "unknown role '" + name + "'", "required_roles");
    policy.roles.push_back(*role);
  }
  GONGDAN_ASSIGN(policy.custom_roles, id_array(body, "required_custom_roles"));
  GONGDAN_ASSIGN(policy, factors.set_policy(request.who(), std::move(policy)));
  return json_response(200, kPolicyShape.write(policy));
}

using namespace schema;

Schema code_body() {
  return object({{"code", string().max_length(32).describe(
                              "Six digits from the authenticator app, or a recovery code.")}})
      .require_all();
}

}  // namespace

void add_second_factor_routes(Router& router, ApiContext& ctx) {
  if (!ctx.second_factor) return;
  auto& factors = *ctx.second_factor;
  router.define_schema("SecondFactorStatus", kStatusShape.schema());
  router.define_schema("SecondFactorPolicy", kPolicyShape.schema());
  router.add(
      "POST", "/api/v1/auth/second-factor", Access::kPublic, "auth",
      "The second step of a sign-in: a code from the authenticator app or a recovery code",
      signed_in_doc("signInSecondStep")
          .describe("Answers the `challenge` that `POST /api/v1/auth/login` gave (202) for an "
                    "account with two-factor sign-in. Send `code` (six digits) or "
                    "`recovery_code`, not both. A wrong code is 401 and counts like a wrong "
                    "password (429 with Retry-After after repeated failures); a code is "
                    "accepted once, so a second use of it is 401 too; an unknown or expired "
                    "challenge is 401 with `field: challenge`. With `remember_device` the answer "
                    "also sets the `gongdan_device` cookie: this browser skips the second step "
                    "for 30 days (until the person's second factor is reset or enrolled anew).")
          .body(object({{"challenge", string().max_length(200)},
                        {"code", string().max_length(16)},
                        {"recovery_code", string().max_length(32)},
                        {"remember_device", boolean()}})
                    .require({"challenge"}))
          .errors({400, 401, 403, 415, 429}),
      [&factors, &ctx](Request& r) { return answer(second_step(factors, ctx, r)); });
  router.add("GET", "/api/v1/me/second-factor", Access::kSignedIn, "auth",
             "Whether one's two-factor sign-in is on, and whether one's role requires it",
             doc("getSecondFactor").returns(200, ref("SecondFactorStatus")),
             [&factors](Request& r) { return answer(status(factors, r)); });
  router.add(
      "POST", "/api/v1/me/second-factor", Access::kSignedIn, "auth",
      "Start enrolling a second factor: a new secret, its otpauth:// URI and a QR code",
      doc("startSecondFactor")
          .describe("The secret waits for `POST /api/v1/me/second-factor/confirm` with a code "
                    "from the app; until then sign-in does not ask for one. Starting again "
                    "replaces a waiting secret; 409 when two-factor sign-in is on already. "
                    "Browser sessions only (403 for API tokens).")
          .body(object())
          .optional_body()
          .returns(
              201,
              object({{"secret", string().describe("Base32, to type into an app by hand.")},
                      {"otpauth_uri", string()},
                      {"qr_code", string().describe("The URI as a QR code: an SVG data: URL.")}})
                  .require_all())
          .errors({403, 409}),
      [&factors](Request& r) { return answer(enrol(factors, r)); });
  router.add("POST", "/api/v1/me/second-factor/confirm", Access::kSignedIn, "auth",
             "Turn two-factor sign-in on with a first code; answers the recovery codes, shown once",
             doc("confirmSecondFactor")
                 .body(code_body())
                 .returns(200, object({{"recovery_codes", array_of(string())}}).require_all())
                 .errors({400, 409}),
             [&factors](Request& r) { return answer(confirm(factors, r)); });
  router.add("POST", "/api/v1/me/second-factor/disable", Access::kSignedIn, "auth",
             "Turn two-factor sign-in off, proven with a code or a recovery code",
             doc("disableSecondFactor")
                 .describe("403 when one's role must use a second factor (an admin can reset it).")
                 .body(code_body())
                 .returns_nothing()
                 .errors({400, 403, 409}),
             [&factors](Request& r) { return answer(disable(factors, r)); });
  router.add("DELETE", "/api/v1/agents/{id}/second-factor", Access::kSignedIn, "agents",
             "Reset someone's second factor (admins; audited)",
             doc("resetSecondFactor")
                 .describe("They sign in with their password alone, or enrol again first when "
                           "their role requires a second factor. 409 when they have none.")
                 .path("id", integer())
                 .returns_nothing()
                 .errors({403, 404, 409}),
             [&factors](Request& r) { return answer(reset(factors, r)); });
  router.add("GET", "/api/v1/second-factor-policy", Access::kSignedIn, "auth",
             "The roles that must use two-factor sign-in (admins)",
             doc("getSecondFactorPolicy").returns(200, ref("SecondFactorPolicy")).errors({403}),
             [&factors](Request& r) { return answer(read_policy(factors, r)); });
  router.add(
      "PUT", "/api/v1/second-factor-policy", Access::kSignedIn, "auth",
      "Choose the roles that must use two-factor sign-in (admins; audited)",
      doc("setSecondFactorPolicy")
          .describe("Agents' roles only (`customer` is 400); `required_custom_roles` (none "
                    "when left out) must name existing custom roles (else 400). A person of such "
                    "a role without a second factor signs in to a session that may only enrol "
                    "one (every other route answers 403), and their open sessions become such "
                    "sessions at once; a role taken off the policy frees its holders at once.")
          .body(object({{"required_roles", array_of(ref("Role"))},
                        {"required_custom_roles", array_of(integer()).max_items(100)}})
                    .require({"required_roles"}))
          .returns(200, ref("SecondFactorPolicy"))
          .errors({400, 403}),
      [&factors](Request& r) { return answer(write_policy(factors, r)); });
}

}  // namespace gongdan::api
