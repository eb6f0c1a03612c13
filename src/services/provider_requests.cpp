#include "services/provider_requests.hpp"

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

namespace json = boost::json;

constexpr std::string_view kAccessToken = "{access_token}";

// RFC 3986: everything but the unreserved characters percent-encoded (Boost.URL's encoder).
std::string query_escaped(std::string_view s) {
  return boost::urls::encode(s, boost::urls::unreserved_chars);
}

ImDelivery json_call(const InboundSource& source, TokenRequest token, std::string url,
                     const json::object& body) {
  ImDelivery d{source.kind, std::move(url), json::serialize(body), {}, std::move(token)};
  d.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  return d;
}

}  // namespace

std::string provider_api(const InboundSource& source) {
  if (!source.api_base.empty()) return source.api_base;
  switch (source.kind) {
    case InboundKind::kWecom:
      return "https://qyapi.weixin.qq.com";
    case InboundKind::kFeishu:
      return "https://open.feishu.cn";
    case InboundKind::kDingtalk:
      return "https://api.dingtalk.com";
    case InboundKind::kTelegram:
      return "https://api.telegram.org";
    case InboundKind::kGeneric:
    case InboundKind::kCti:
      return {};
  }
  return {};
}

std::optional<TokenRequest> token_request(const InboundSource& source,
                                          std::string_view app_secret) {
  if (source.app_id.empty() || app_secret.empty()) return std::nullopt;
  TokenRequest t;
  t.cache_key = std::to_string(source.id) + ":" + source.app_id + ":" +
                crypto::sha256_hex(app_secret).substr(0, 16);
  const std::string api = provider_api(source);
  switch (source.kind) {
    case InboundKind::kWecom:
      t.url = api + "/cgi-bin/gettoken?corpid=" + query_escaped(source.app_id) +
              "&corpsecret=" + query_escaped(app_secret);
      return t;
    case InboundKind::kFeishu:
      t.url = api + "/open-apis/auth/v3/tenant_access_token/internal";
      t.body = json::serialize(json::object{{"app_id", source.app_id}, {"app_secret", app_secret}});
      return t;
    case InboundKind::kDingtalk:
      t.url = api + "/v1.0/oauth2/accessToken";
      t.body = json::serialize(json::object{{"appKey", source.app_id}, {"appSecret", app_secret}});
      return t;
    case InboundKind::kGeneric:
    case InboundKind::kTelegram:
    case InboundKind::kCti:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<ImDelivery> provider_reply(const InboundSource& source, std::string_view app_secret,
                                         std::string_view external_id, std::string_view text,
                                         std::int64_t id) {
  auto token = token_request(source, app_secret);
  if (!token) return std::nullopt;
  const std::string api = provider_api(source);
  const std::string key = "gongdan-reply-" + std::to_string(id);
  if (source.kind == InboundKind::kWecom) {
    const auto slash = external_id.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    return json_call(source, std::move(*token),
                     api + "/cgi-bin/kf/send_msg?access_token=" + std::string(kAccessToken),
                     {{"touser", external_id.substr(slash + 1)},
                      {"open_kfid", external_id.substr(0, slash)},
                      {"msgid", key},
                      {"msgtype", "text"},
                      {"text", {{"content", text::cut_utf8(std::string(text), 2048)}}}});
  }
  if (source.kind == InboundKind::kFeishu) {
    auto d = json_call(source, std::move(*token),
                       api + "/open-apis/im/v1/messages?receive_id_type=open_id",
                       {{"receive_id", external_id},
                        {"msg_type", "text"},
                        {"content", json::serialize(json::object{{"text", text}})},
                        {"uuid", key}});
    d.headers.emplace_back("Authorization", "Bearer " + std::string(kAccessToken));
    return d;
  }
  if (source.kind == InboundKind::kDingtalk) {
    auto d = json_call(source, std::move(*token), api + "/v1.0/robot/oToMessages/batchSend",
                       {{"robotCode", source.app_id},
                        {"userIds", json::array{json::string(external_id)}},
                        {"msgKey", "sampleText"},
                        {"msgParam", json::serialize(json::object{{"content", text}})}});
    d.headers.emplace_back("x-acs-dingtalk-access-token", std::string(kAccessToken));
    return d;
  }
  return std::nullopt;
}

std::optional<ImDelivery> provider_media(const InboundSource& source, std::string_view app_secret,
                                         std::string_view reference) {
  auto token = token_request(source, app_secret);
  if (!token || reference.empty()) return std::nullopt;
  const std::string api = provider_api(source);
  if (source.kind == InboundKind::kWecom) {
    ImDelivery d{source.kind,
                 api + "/cgi-bin/media/get?access_token=" + std::string(kAccessToken) +
                     "&media_id=" + query_escaped(reference),
                 "",
                 {},
                 std::move(token),
                 true};
    return d;
  }
  if (source.kind == InboundKind::kFeishu) {
    // "image/<message_id>/<key>" or "file/<message_id>/<key>" (channels/im/feishu.hpp).
    const auto first = reference.find('/');
    const auto second = first == std::string_view::npos ? first : reference.find('/', first + 1);
    if (second == std::string_view::npos) return std::nullopt;
    const auto type = reference.substr(0, first);
    const auto message_id = reference.substr(first + 1, second - first - 1);
    const auto key = reference.substr(second + 1);
    if ((type != "image" && type != "file") || message_id.empty() || key.empty() ||
        key.find('/') != std::string_view::npos)
      return std::nullopt;
    ImDelivery d{source.kind,
                 api + "/open-apis/im/v1/messages/" + query_escaped(message_id) + "/resources/" +
                     query_escaped(key) + "?type=" + std::string(type),
                 "",
                 {{"Authorization", "Bearer " + std::string(kAccessToken)}},
                 std::move(token),
                 true};
    return d;
  }
  if (source.kind == InboundKind::kDingtalk) {
    auto d = json_call(source, std::move(*token), api + "/v1.0/robot/messageFiles/download",
                       {{"downloadCode", reference}, {"robotCode", source.app_id}});
    d.headers.emplace_back("x-acs-dingtalk-access-token", std::string(kAccessToken));
    return d;
  }
  return std::nullopt;
}

std::optional<ImDelivery> wecom_sync(const InboundSource& source, std::string_view app_secret,
                                     std::string_view cursor, std::string_view sync_token,
                                     std::string_view open_kfid) {
  auto token = token_request(source, app_secret);
  if (!token || source.kind != InboundKind::kWecom) return std::nullopt;
  json::object body{{"token", sync_token}, {"limit", 1000}, {"voice_format", 0}};
  if (!cursor.empty()) body["cursor"] = cursor;
  if (!open_kfid.empty()) body["open_kfid"] = open_kfid;
  return json_call(
      source, std::move(*token),
      provider_api(source) + "/cgi-bin/kf/sync_msg?access_token=" + std::string(kAccessToken),
      body);
}

}  // namespace gongdan::services
