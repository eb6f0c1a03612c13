#include "channels/im/provider_answer.hpp"

#include <boost/json.hpp>

#include "util/text.hpp"

namespace gongdan::channels::im {
namespace {

namespace json = boost::json;

// The error codes that mean "this access token is no good": WeCom 40001 (invalid credential),
// 40014 (invalid access_token), 41001 (missing), 42001 (expired); Feishu 99991661 (missing),
// 99991663 (invalid tenant token), 99991668 (invalid user token); DingTalk's v1.0 API answers
// 401 with InvalidAuthentication.
bool token_refused(std::int64_t code) {
  return code == 40001 || code == 40014 || code == 41001 || code == 42001 || code == 99991661 ||
         code == 99991663 || code == 99991668;
}

std::string text_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return {};
  if (v->is_string()) return text::cut_utf8(std::string(v->get_string()), 300);
  return text::cut_utf8(json::serialize(*v), 300);
}

std::optional<std::int64_t> int_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v && v->is_int64()) return v->get_int64();
  if (v && v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64() & 0x7fffffffffff);
  return std::nullopt;
}

}  // namespace

Result<json::object> provider_answer(InboundKind kind, int http_status, std::string_view body) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 32;
  auto parsed = json::parse(body, ec, {}, options);
  if (ec || !parsed.is_object()) {
    if (http_status < 200 || http_status > 299)
      return fail(ErrorCode::kUnavailable,
                  "the provider answered HTTP " + std::to_string(http_status));
    return fail(ErrorCode::kInvalidArgument, "the provider's answer is not a JSON object");
  }
  auto o = std::move(parsed.as_object());
  const bool feishu = kind == InboundKind::kFeishu;
  const auto code = int_member(o, feishu ? "code" : "errcode");
  const std::string message = text_member(o, feishu ? "msg" : "errmsg");
  if (code && *code != 0) {
    if (token_refused(*code))
      return fail(ErrorCode::kUnauthenticated, "access token refused: " + message);
    return fail(ErrorCode::kUnavailable,
                "the provider answered " + std::to_string(*code) + ": " + message);
  }
  if (http_status == 401 || http_status == 403)
    return fail(ErrorCode::kUnauthenticated, "access token refused: " + text_member(o, "message"));
  if (http_status < 200 || http_status > 299)
    return fail(ErrorCode::kUnavailable,
                "the provider answered HTTP " + std::to_string(http_status) + ": " +
                    text_member(o, "code") + " " + text_member(o, "message"));
  return o;
}

Result<AccessToken> parse_access_token(InboundKind kind, int http_status, std::string_view body) {
  GONGDAN_ASSIGN(auto o, provider_answer(kind, http_status, body));
  // The token's member names differ by provider.
  const char* token_key = kind == InboundKind::kFeishu     ? "tenant_access_token"
                          : kind == InboundKind::kDingtalk ? "accessToken"
                                                           : "access_token";
  const char* expiry_key = kind == InboundKind::kFeishu     ? "expire"
                           : kind == InboundKind::kDingtalk ? "expireIn"
                                                            : "expires_in";
  const auto* token = o.if_contains(token_key);
  if (!token || !token->is_string() || token->get_string().empty() ||
      token->get_string().size() > 2048)
    return fail(ErrorCode::kUnavailable, std::string("the provider's answer has no ") + token_key);
  AccessToken t{std::string(token->get_string()), 7200};
  if (auto expiry = int_member(o, expiry_key); expiry && *expiry > 0)
    t.expires_in_seconds = *expiry;
  return t;
}

}  // namespace gongdan::channels::im
