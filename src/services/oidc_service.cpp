#include "services/oidc_service.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url.hpp>

#include "services/external_accounts.hpp"
#include "services/resource_service.hpp"
#include "store/database.hpp"
#include "store/oidc_logins_store.hpp"
#include "util/crypto.hpp"

namespace gongdan::services {
namespace {

namespace json = boost::json;
using SteadyClock = std::chrono::steady_clock;

constexpr auto kMetadataLifetime = std::chrono::hours(1);
// A token naming an unknown key refetches the JWK set, but not more often than this: a flood
// of forged kids must not become a flood of requests to the provider.
constexpr auto kKeysRefetchInterval = std::chrono::seconds(5);

Error unauthenticated(std::string message) {
  return {ErrorCode::kUnauthenticated, std::move(message), {}, 0};
}

Result<void> check_issuer(OidcProvider& p) {
  while (p.issuer.size() > 8 && p.issuer.back() == '/') p.issuer.pop_back();
  if (!p.issuer.starts_with("https://") && !p.issuer.starts_with("http://"))
    return fail(ErrorCode::kInvalidArgument, "the issuer is an https:// URL", "issuer");
  if (p.issuer.find_first_of(" \t\r\n?#") != std::string::npos)
    return fail(ErrorCode::kInvalidArgument, "an issuer has no spaces, query or fragment",
                "issuer");
  return {};
}

Result<void> check_scopes(OidcProvider& p) {
  if (std::find(p.scopes.begin(), p.scopes.end(), "openid") == p.scopes.end())
    return fail(ErrorCode::kInvalidArgument, "the scopes must include openid", "scopes");
  return {};
}

std::vector<Bound<OidcProvider>> provider_fields() {
  using P = OidcProvider;
  std::vector<Bound<P>> own{
      field_of(&P::issuer,
               text_field("issuer", {"Issuer URL", "签发者 URL"},
                          {"As the provider names itself; its discovery document is read from "
                           "<issuer>/.well-known/openid-configuration.",
                           "与提供方自称的一致；从 <issuer>/.well-known/openid-configuration "
                           "读取发现文档。"})
                   .required()
                   .max(500),
               check_issuer),
      field_of(&P::client_id,
               text_field("client_id", {"Client ID", "客户端 ID"}).required().max(500)),
      field_of(&P::client_secret, secret_field("client_secret", {"Client secret", "客户端密钥"},
                                               {"Stored encrypted; empty for a public client.",
                                                "加密保存；公共客户端留空。"})
                                      .sealed()
                                      .max(1000)),
      field_of(&P::scopes,
               list_field("scopes", {"Scopes", "权限范围"},
                          {"Must include openid.", "必须包含 openid。"})
                   .separator(' '),
               check_scopes),
      field_of(&P::use_userinfo,
               switch_field("use_userinfo", {"Ask the userinfo endpoint", "查询 userinfo 端点"},
                            {"For claims the ID token lacks.", "用于 ID 令牌中没有的声明。"})),
      mappings_field<P>({"Claim mappings", "声明映射"},
                        {"A claim holding a value gives a role and departments; several "
                         "matches give the highest role and every department.",
                         "声明包含某个值时给予角色和部门；多条匹配时取最高角色和全部部门。"},
                        {"claim", "value"}, R"("claim": "groups", "value": "support")",
                        [](P& p) { return check_claim_mappings(p.mappings); }),
  };
  return sign_in_fields(std::move(own), {"Without a mapped claim", "无匹配的声明"});
}

// S256: base64url(SHA-256(verifier)), without padding.
std::string code_challenge(std::string_view verifier) {
  const std::string hex = crypto::sha256_hex(verifier);
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return base64url_encode(bytes);
}

std::string text_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

Result<json::object> json_answer(const HttpReply& reply, std::string_view what) {
  boost::system::error_code ec;
  auto value = json::parse(reply.body, ec);
  if (ec || !value.is_object())
    return fail(unauthenticated("the provider's " + std::string(what) + " is not JSON"));
  if (reply.status != 200) {
    const auto error = text_member(value.as_object(), "error");
    return fail(unauthenticated("the provider refused the " + std::string(what) + ": " +
                                (error.empty() ? std::to_string(reply.status) : error)));
  }
  return std::move(value.as_object());
}

}  // namespace

const Resource<OidcProvider>& oidc_provider_resource() {
  static const Resource<OidcProvider> r = declare<OidcProvider>(
      sign_in_resource_info("oidc-providers", "oidc_provider",
                            {"OpenID Connect providers", "OpenID Connect 提供方"},
                            "oidc_providers"),
      provider_fields());
  return r;
}

OidcService::OidcService(store::Database& db, const Clock& clock, const SecretBox& secrets,
                         IdentityProviderClient& client, AuthService& auth, CredentialCache& cache,
                         Directory& directory)
    : db_(db),
      clock_(clock),
      secrets_(secrets),
      client_(client),
      sign_in_(db, clock, auth, cache, directory, "oidc") {}

void OidcService::add_to(Resources& resources) {
  resources.add(oidc_provider_resource(), Hooks<OidcProvider>{});
}

Result<std::vector<SignInButton>> OidcService::buttons() {
  return buttons_of(db_, oidc_provider_resource());
}

Result<std::vector<Jwk>> OidcService::fetch_keys(const OidcProvider& p, const Discovery& d) {
  auto reply = client_.get(d.jwks_uri, "");
  if (!reply || reply->status != 200)
    return fail(ErrorCode::kUnavailable, "the keys of " + p.name + " cannot be read");
  auto keys = parse_jwks(reply->body);
  if (!keys) return fail(ErrorCode::kUnavailable, p.name + ": " + keys.error().message);
  return keys;
}

Result<OidcService::Cached> OidcService::provider_metadata(const OidcProvider& p,
                                                           bool refetch_keys) {
  const auto now = SteadyClock::now();
  std::unique_lock lock(mutex_);
  auto found = cached_.find(p.id);
  const bool fresh = found != cached_.end() && found->second.version == p.updated_at &&
                     now - found->second.fetched < kMetadataLifetime;
  if (fresh && (!refetch_keys || now - found->second.keys_refetched < kKeysRefetchInterval))
    return found->second;
  lock.unlock();  // no lock held over the network; two fetches at once only cost a request
  Cached c{p.updated_at, {}, {}, now, {}};  // a first unknown kid refetches at once
  if (fresh) {
    c = found->second;
    c.keys_refetched = now;
  } else {
    auto reply = client_.get(p.issuer + "/.well-known/openid-configuration", "");
    if (!reply)
      return fail(ErrorCode::kUnavailable, p.name + " cannot be reached: " + reply.error().message);
    if (reply->status != 200)
      return fail(ErrorCode::kUnavailable, p.name + " answered " + std::to_string(reply->status) +
                                               " for its discovery document");
    auto d = parse_discovery(reply->body, p.issuer);
    if (!d) return fail(ErrorCode::kUnavailable, p.name + ": " + d.error().message);
    c.discovery = std::move(*d);
  }
  GONGDAN_ASSIGN(c.keys, fetch_keys(p, c.discovery));
  lock.lock();
  cached_[p.id] = c;
  return c;
}

Result<OidcStart> OidcService::start(std::int64_t provider_id, std::string_view redirect_uri,
                                     std::string_view return_to) {
  GONGDAN_ASSIGN(auto p, active_provider(db_, oidc_provider_resource(), provider_id));
  GONGDAN_ASSIGN(auto metadata, provider_metadata(p, false));
  const std::string state = crypto::random_token(32);
  OidcStart out{{}, crypto::random_token(32)};
  store::OidcLogin login{crypto::sha256_hex(state),
                         p.id,
                         crypto::sha256_hex(out.browser_cookie),
                         crypto::random_token(32),
                         crypto::random_token(32),
                         std::string(redirect_uri),
                         safe_return_to(return_to),
                         clock_.now_ms() + kOidcLoginLifetimeMs};
  GONGDAN_TRY(db_.write(
      [&](store::Connection& c) { return store::insert_oidc_login(c, login, clock_.now_ms()); }));
  std::string scopes;
  for (const auto& s : p.scopes) scopes += (scopes.empty() ? "" : " ") + s;
  boost::urls::url url(metadata.discovery.authorization_endpoint);
  auto params = url.params();
  params.append({"response_type", "code"});
  params.append({"client_id", p.client_id});
  params.append({"redirect_uri", login.redirect_uri});
  params.append({"scope", scopes});
  params.append({"state", state});
  params.append({"nonce", login.nonce});
  params.append({"code_challenge", code_challenge(login.code_verifier)});
  params.append({"code_challenge_method", "S256"});
  out.authorization_url = url.buffer();
  return out;
}

SignInFinish OidcService::finish(std::string_view state, std::string_view code,
                                 std::string_view error, std::string_view browser_cookie,
                                 std::string_view ip) {
  SignInFinish out;
  std::optional<store::OidcLogin> taken;
  auto login = db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(taken, store::take_oidc_login(c, crypto::sha256_hex(state)));
    return {};
  });
  if (!login) {
    out.error = login.error();
    return out;
  }
  if (!taken || taken->expires_at < clock_.now_ms()) {
    sign_in_.settle(
        out, fail(unauthenticated("this sign-in is unknown, used or expired; start again")), 0, ip);
    return out;
  }
  const auto& l = *taken;
  out.return_to = l.return_to;
  auto signed_in = [&]() -> Result<SignedIn> {
    if (!crypto::equal_constant_time(crypto::sha256_hex(browser_cookie), l.browser_hash))
      return fail(unauthenticated("this sign-in was started in another browser"));
    if (!error.empty())
      return fail(unauthenticated("the provider refused the sign-in: " +
                                  std::string(error.substr(0, 200))));
    GONGDAN_ASSIGN(auto p, active_provider(db_, oidc_provider_resource(), l.provider_id));
    return complete(p, std::string(code), l.nonce, l.code_verifier, l.redirect_uri, ip);
  }();
  sign_in_.settle(out, std::move(signed_in), l.provider_id, ip);
  return out;
}

Result<SignedIn> OidcService::complete(const OidcProvider& p, const std::string& code,
                                       const std::string& nonce, const std::string& verifier,
                                       const std::string& redirect_uri, std::string_view ip) {
  GONGDAN_ASSIGN(auto metadata, provider_metadata(p, false));
  GONGDAN_ASSIGN(auto tokens, redeem_code(p, metadata.discovery, code, verifier, redirect_uri));
  GONGDAN_ASSIGN(auto claims, checked_claims(p, text_member(tokens, "id_token"), nonce));
  if (p.use_userinfo && !metadata.discovery.userinfo_endpoint.empty())
    GONGDAN_TRY(add_userinfo(metadata.discovery, text_member(tokens, "access_token"), claims));
  if (const auto* verified = claims.if_contains("email_verified");
      verified && verified->is_bool() && !verified->as_bool())
    return fail(ErrorCode::kPermissionDenied, "the provider has not verified your email address");
  auto account = map_claims(p, claims);
  if (!account)
    return fail(ErrorCode::kPermissionDenied,
                "what the provider says about you gives you no access here; ask an administrator");
  std::string name = text_member(claims, "name");
  if (name.empty()) name = text_member(claims, "preferred_username");
  const ExternalPerson person{"oidc:" + std::to_string(p.id),
                              text_member(claims, "sub"),
                              text_member(claims, "email"),
                              name,
                              *account,
                              p.create_accounts};
  return sign_in_.sign_in(person, ip);
}

Result<json::object> OidcService::redeem_code(const OidcProvider& p, const Discovery& d,
                                              const std::string& code, const std::string& verifier,
                                              const std::string& redirect_uri) {
  if (code.empty()) return fail(unauthenticated("the provider sent no code back"));
  std::string secret;
  if (!p.client_secret.empty()) {
    GONGDAN_ASSIGN(secret, secrets_.open(p.client_secret));
  }
  std::vector<std::pair<std::string, std::string>> form{{"grant_type", "authorization_code"},
                                                        {"code", code},
                                                        {"redirect_uri", redirect_uri},
                                                        {"code_verifier", verifier}};
  if (secret.empty()) form.emplace_back("client_id", p.client_id);
  auto reply = client_.post_form(d.token_endpoint, form, secret.empty() ? "" : p.client_id, secret);
  if (!reply)
    return fail(ErrorCode::kUnavailable, p.name + " cannot be reached: " + reply.error().message);
  return json_answer(*reply, "code");
}

Result<json::object> OidcService::checked_claims(const OidcProvider& p, const std::string& id_token,
                                                 const std::string& nonce) {
  auto token = parse_jwt(id_token);
  if (!token) return fail(unauthenticated(token.error().message));
  GONGDAN_ASSIGN(auto metadata, provider_metadata(p, false));
  const Jwk* key = find_key(metadata.keys, *token);
  if (!key) {  // a key not seen yet: the provider may have rotated its keys
    GONGDAN_ASSIGN(metadata, provider_metadata(p, true));
    key = find_key(metadata.keys, *token);
  }
  if (!key)
    return fail(unauthenticated("the ID token is signed with a key the provider does not publish"));
  if (!client_.verify_signature(*key, *token))
    return fail(unauthenticated("the ID token's signature is not the provider's"));
  IdTokenExpectation expected{p.issuer, p.client_id, nonce, clock_.now_ms() / 1000, 120};
  if (auto checked = check_id_token_claims(token->claims, expected); !checked)
    return fail(unauthenticated(checked.error().message));
  return std::move(token->claims);
}

Result<void> OidcService::add_userinfo(const Discovery& d, const std::string& access_token,
                                       json::object& claims) {
  auto reply = client_.get(d.userinfo_endpoint, access_token);
  if (!reply) return fail(ErrorCode::kUnavailable, "the userinfo endpoint cannot be reached");
  GONGDAN_ASSIGN(auto info, json_answer(*reply, "userinfo request"));
  if (text_member(info, "sub") != text_member(claims, "sub"))
    return fail(unauthenticated("the userinfo answer is about someone else"));
  for (auto& [key, value] : info)
    if (!claims.contains(key)) claims[key] = value;
  return {};
}

}  // namespace gongdan::services
