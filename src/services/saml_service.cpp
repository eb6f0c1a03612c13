#include "services/saml_service.hpp"

#include "domain/oidc_provider.hpp"
#include "services/external_accounts.hpp"
#include "services/resource_service.hpp"
#include "store/database.hpp"
#include "store/saml_logins_store.hpp"
#include "util/crypto.hpp"

namespace gongdan::services {
namespace {

constexpr Millis kClockSkewMs = 2 * 60 * 1000;

// `reason` (the error's field) names what is wrong for the sign-in page to word.
Error unauthenticated(std::string message, std::string reason) {
  return {ErrorCode::kUnauthenticated, std::move(message), std::move(reason), 0};
}

Result<void> check_sso_url(std::string& url, std::string_view field) {
  if (!url.empty() && !url.starts_with("https://") && !url.starts_with("http://"))
    return fail(ErrorCode::kInvalidArgument, "an https:// URL", std::string(field));
  return {};
}

std::vector<Bound<SamlProvider>> saml_provider_fields() {
  using P = SamlProvider;
  std::vector<Bound<P>> own{
      field_of(&P::metadata,
               long_text_field("metadata", {"IdP metadata (XML)", "IdP 元数据（XML）"},
                               {"Paste the identity provider's metadata: its entity ID, sign-in "
                                "URL and signing certificate are read from it.",
                                "粘贴身份提供方的元数据：从中读取实体 ID、登录 URL 和签名证书。"})
                   .max(200000)),
      field_of(&P::entity_id,
               text_field("entity_id", {"IdP entity ID", "IdP 实体 ID"},
                          {"Read from the metadata when it is given.", "提供元数据时从中读取。"})
                   .max(500)),
      field_of(&P::sso_url,
               text_field("sso_url", {"IdP sign-in URL", "IdP 登录 URL"},
                          {"Its SingleSignOnService for the HTTP-Redirect binding.",
                           "其 HTTP-Redirect 绑定的 SingleSignOnService。"})
                   .max(1000),
               [](P& p) { return check_sso_url(p.sso_url, "sso_url"); }),
      field_of(
          &P::certificate,
          long_text_field("certificate", {"IdP signing certificate (PEM)", "IdP 签名证书（PEM）"},
                          {"Responses or assertions must be signed with its key.",
                           "响应或断言必须用其密钥签名。"})
              .max(20000)),
      field_of(&P::email_attribute,
               text_field("email_attribute", {"Email attribute", "邮箱属性"},
                          {"Its Name or FriendlyName; empty: the NameID is the email address.",
                           "属性的 Name 或 FriendlyName；留空：NameID 即邮箱地址。"})
                   .max(200)
                   .default_json("\"email\"")),
      field_of(&P::name_attribute, text_field("name_attribute", {"Name attribute", "姓名属性"})
                                       .max(200)
                                       .default_json("\"displayName\"")),
      mappings_field<P>({"Attribute mappings", "属性映射"},
                        {"An attribute holding a value gives a role and departments; several "
                         "matches give the highest role and every department.",
                         "属性包含某个值时给予角色和部门；多条匹配时取最高角色和全部部门。"},
                        {"attribute", "value"}, R"("attribute": "groups", "value": "support")",
                        [](P& p) { return check_value_mappings(p.mappings, "attribute"); }),
  };
  return sign_in_fields(std::move(own), {"Without a mapped attribute", "无匹配的属性"});
}

// How long an accepted assertion's ID is kept: until it could no longer be accepted anyway.
Millis remembered_until(const SamlAssertion& a, Millis now) {
  Millis until = now + kSamlLoginLifetimeMs;
  for (const auto& t : {a.not_on_or_after, a.confirmation_not_on_or_after})
    if (auto at = parse_saml_time(t)) until = std::max(until, *at + kClockSkewMs);
  return until;
}

}  // namespace

const Resource<SamlProvider>& saml_provider_resource() {
  static const Resource<SamlProvider> r = declare<SamlProvider>(
      sign_in_resource_info("saml-providers", "saml_provider",
                            {"SAML identity providers", "SAML 身份提供方"}, "saml_providers"),
      saml_provider_fields());
  return r;
}

SamlService::SamlService(store::Database& db, const Clock& clock, SamlProtocol& protocol,
                         AuthService& auth, CredentialCache& cache, Directory& directory)
    : db_(db),
      clock_(clock),
      protocol_(protocol),
      sign_in_(db, clock, auth, cache, directory, "saml") {}

// Metadata, when given, sets the three settings; otherwise all three are needed.
Result<void> SamlService::check_settings(SamlProvider& p) {
  if (!p.metadata.empty()) GONGDAN_TRY(protocol_.read_metadata(p));
  if (p.entity_id.empty())
    return fail(ErrorCode::kInvalidArgument, "the IdP's entity ID, or its metadata, is required",
                "entity_id");
  if (p.sso_url.empty())
    return fail(ErrorCode::kInvalidArgument, "the IdP's sign-in URL, or its metadata, is required",
                "sso_url");
  return protocol_.check_certificate(p.certificate);
}

void SamlService::add_to(Resources& resources) {
  Hooks<SamlProvider> hooks;
  hooks.check = [this](store::Connection&, const Principal&, SamlProvider& p, const SamlProvider*) {
    return check_settings(p);
  };
  resources.add(saml_provider_resource(), std::move(hooks));
}

Result<std::vector<SignInButton>> SamlService::buttons() {
  return buttons_of(db_, saml_provider_resource());
}

Result<std::string> SamlService::start(std::int64_t provider_id, const SamlServiceProvider& sp,
                                       std::string_view return_to) {
  GONGDAN_ASSIGN(auto p, active_provider(db_, saml_provider_resource(), provider_id));
  const std::string relay_state = crypto::random_token(32);
  GONGDAN_ASSIGN(auto request, protocol_.authn_request(sp, p, relay_state));
  const Millis now = clock_.now_ms();
  store::SamlLogin login{
      crypto::sha256_hex(relay_state), p.id, request.id, safe_return_to(return_to),
      now + kSamlLoginLifetimeMs,      false};
  GONGDAN_TRY(
      db_.write([&](store::Connection& c) { return store::insert_saml_login(c, login, now); }));
  return request.url;
}

SignInFinish SamlService::finish(const SamlServiceProvider& sp, std::string_view posted,
                                 std::string_view relay_state, std::string_view ip) {
  SignInFinish out;
  const std::string relay_hash = crypto::sha256_hex(relay_state);
  auto login = store::read_value(
      db_, [&](store::Connection& c) { return store::find_saml_login(c, relay_hash); });
  if (!login) {
    out.error = login.error();
    return out;
  }
  std::int64_t provider_id = 0;
  auto signed_in = [&]() -> Result<SignedIn> {
    if (relay_state.empty() || !*login)
      return fail(unauthenticated(
          "unsolicited or unknown sign-in: start the sign-in from this site's sign-in page",
          "unsolicited"));
    const auto& l = **login;
    out.return_to = l.return_to;
    provider_id = l.provider_id;
    if (l.expires_at < clock_.now_ms())
      return fail(unauthenticated("this sign-in took too long; start again", "expired"));
    GONGDAN_ASSIGN(auto p, active_provider(db_, saml_provider_resource(), l.provider_id));
    GONGDAN_ASSIGN(auto assertion, protocol_.read_response(sp, p, posted));
    GONGDAN_TRY(
        check_assertion(assertion, {sp, p.entity_id, l.request_id, clock_.now_ms(), kClockSkewMs}));
    return complete(p, assertion, relay_hash, ip);
  }();
  sign_in_.settle(out, std::move(signed_in), provider_id, ip);
  return out;
}

Result<SignedIn> SamlService::complete(const SamlProvider& p, const SamlAssertion& a,
                                       const std::string& relay_hash, std::string_view ip) {
  if (a.assertion_id.empty() || a.assertion_id.size() > 200)
    return fail(unauthenticated("the assertion has no usable ID", "malformed"));
  if (a.name_id.empty() || a.name_id.size() > 500)
    return fail(unauthenticated("the assertion names no subject", "malformed"));
  // Before anything else is written: the assertion and the request are each used once.
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(bool fresh, store::remember_saml_assertion(
                                   c, p.id, a.assertion_id, remembered_until(a, clock_.now_ms())));
    if (!fresh)
      return fail(unauthenticated("this assertion was used already (a replay)", "replayed"));
    GONGDAN_ASSIGN(bool unused, store::use_saml_login(c, relay_hash));
    if (!unused)
      return fail(unauthenticated("this sign-in was used already; start again", "replayed"));
    return {};
  }));
  auto account = map_saml_attributes(p, a);
  if (!account)
    return fail(ErrorCode::kPermissionDenied,
                "what the provider says about you gives you no access here; ask an administrator",
                "no_access");
  const ExternalPerson person{"saml:" + std::to_string(p.id),
                              a.name_id,
                              saml_email(p, a),
                              saml_name(p, a),
                              *account,
                              p.create_accounts};
  return sign_in_.sign_in(person, ip);
}

}  // namespace gongdan::services
