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

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
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

Result<std::optional<std::string>> media_answer(InboundKind kind, int http_status,
                                                std::string_view content_type,
                                                std::string_view body) {
  const bool json_answer = text::to_lower_ascii(content_type).find("json") != std::string::npos;
  const bool ok_status = http_status >= 200 && http_status <= 299;
  const bool dingtalk = kind == InboundKind::kDingtalk;  // answers a link, never the bytes
  if (http_status == 429 || http_status >= 500)
    return fail(ErrorCode::kUnavailable,
                "the provider answered HTTP " + std::to_string(http_status) + ", try again later");
  if (ok_status && !json_answer && !dingtalk) {
    if (body.empty()) return fail(ErrorCode::kInvalidArgument, "the provider sent an empty file");
    return std::optional<std::string>{};
  }
  boost::system::error_code ec;
  const auto parsed = json::parse(body, ec);
  const auto* o = ec ? nullptr : parsed.if_object();
  // A JSON file a customer sent, as the provider serves it: no object, or no code of the API's.
  const bool api_answer = o && (o->contains(kind == InboundKind::kFeishu ? "code" : "errcode") ||
                                (dingtalk && (o->contains("code") || o->contains("downloadUrl"))));
  if (ok_status && !dingtalk && !api_answer) {
    if (body.empty()) return fail(ErrorCode::kInvalidArgument, "the provider sent an empty file");
    return std::optional<std::string>{};
  }
  auto answer = provider_answer(kind, http_status, body);
  if (!answer) {
    const auto& e = answer.error();
    if (e.code == ErrorCode::kUnauthenticated) return fail(e.code, e.message);
    // WeCom's -1 is "system busy"; any other error is about this file (or the app's rights).
    if (e.message.starts_with("the provider answered -1:"))
      return fail(ErrorCode::kUnavailable, e.message);
    if (ok_status && e.code == ErrorCode::kInvalidArgument) return fail(e.code, e.message);
    return fail(ErrorCode::kNotFound, e.message);
  }
  if (dingtalk) {
    const std::string url = text_member(*answer, "downloadUrl");
    if ((!url.starts_with("https://") && !url.starts_with("http://")) ||
        url.find_first_of(" \t\r\n") != std::string::npos)
      return fail(ErrorCode::kInvalidArgument, "the provider's answer has no downloadUrl");
    return std::optional<std::string>(url);
  }
  return fail(ErrorCode::kInvalidArgument,
              "the provider's answer is not a file but " + text::cut_utf8(std::string(body), 200));
}

Result<std::string> uploaded_key(InboundKind kind, std::string_view body) {
  GONGDAN_ASSIGN(auto o, provider_answer(kind, 200, body));
  std::string key;
  if (kind == InboundKind::kFeishu) {
    const auto* data = o.if_contains("data");
    if (data && data->is_object()) {
      key = text_member(data->as_object(), "image_key");
      if (key.empty()) key = text_member(data->as_object(), "file_key");
    }
  } else {
    key = text_member(o, "media_id");
  }
  if (key.empty() || key.size() > 300)
    return fail(ErrorCode::kInvalidArgument, "the upload's answer names no media");
  return key;
}

std::optional<std::string> disposition_filename(std::string_view header) {
  std::optional<std::string> plain;
  std::optional<std::string> extended;
  std::size_t at = 0;
  while (at < header.size()) {
    auto end = header.find(';', at);
    // A quoted value may hold ';'.
    const auto eq = header.find('=', at);
    if (eq != std::string_view::npos && eq < end) {
      auto v = eq + 1;
      while (v < header.size() && header[v] == ' ') ++v;
      if (v < header.size() && header[v] == '"') {
        const auto close = header.find('"', v + 1);
        end = close == std::string_view::npos ? header.size() : header.find(';', close);
      }
    }
    if (end == std::string_view::npos) end = header.size();
    const std::string part = text::trim(header.substr(at, end - at));
    at = end + 1;
    const auto sep = part.find('=');
    if (sep == std::string::npos) continue;
    const std::string key = text::to_lower_ascii(text::trim(part.substr(0, sep)));
    std::string value = text::trim(part.substr(sep + 1));
    if (key == "filename") {
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      plain = value;
    } else if (key == "filename*") {
      // charset'language'percent-encoded; only UTF-8 (and ASCII) are read.
      const auto q1 = value.find('\'');
      const auto q2 = q1 == std::string::npos ? q1 : value.find('\'', q1 + 1);
      if (q2 == std::string::npos) continue;
      const std::string charset = text::to_lower_ascii(value.substr(0, q1));
      if (charset != "utf-8" && charset != "us-ascii") continue;
      std::string decoded;
      bool ok = true;
      for (std::size_t i = q2 + 1; i < value.size() && ok; ++i) {
        if (value[i] != '%') {
          decoded += value[i];
          continue;
        }
        const int high = i + 2 < value.size() ? hex_digit(value[i + 1]) : -1;
        const int low = i + 2 < value.size() ? hex_digit(value[i + 2]) : -1;
        ok = high >= 0 && low >= 0;
        if (ok) decoded += static_cast<char>(high * 16 + low);
        i += 2;
      }
      if (ok) extended = std::move(decoded);
    }
  }
  std::string name = extended ? *extended : plain.value_or("");
  if (const auto slash = name.find_last_of("/\\"); slash != std::string::npos)
    name = name.substr(slash + 1);
  if (name.empty() || name.size() > 255 || !text::is_valid_utf8(name)) return std::nullopt;
  return name;
}

}  // namespace gongdan::channels::im
