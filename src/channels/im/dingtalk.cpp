#include "channels/im/dingtalk.hpp"

#include <boost/json.hpp>

#include "channels/im/inbound_parse.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::channels::im {
namespace {

namespace json = boost::json;

Error bad(std::string message, std::string field = {}) {
  return {ErrorCode::kInvalidArgument, std::move(message), std::move(field)};
}

}  // namespace

std::string dingtalk_sign(std::string_view app_secret, std::string_view timestamp) {
  return crypto::hmac_sha256_base64(app_secret,
                                    std::string(timestamp) + "\n" + std::string(app_secret));
}

Result<void> check_dingtalk_sign(std::string_view app_secret,
                                 std::optional<std::string_view> timestamp,
                                 std::optional<std::string_view> sign, Millis now) {
  if (!timestamp || !sign) return fail(ErrorCode::kUnauthenticated, "send timestamp and sign");
  const auto ms = text::parse_integer<std::int64_t>(*timestamp);
  if (!ms || *ms < now - kDingtalkMaxSkew || *ms > now + kDingtalkMaxSkew)
    return fail(ErrorCode::kUnauthenticated, "stale timestamp: more than an hour off");
  if (app_secret.empty() ||
      !crypto::equal_constant_time(dingtalk_sign(app_secret, *timestamp), *sign))
    return fail(ErrorCode::kUnauthenticated, "wrong sign");
  return {};
}

Result<std::optional<InboundMessage>> parse_dingtalk_message(std::string_view body) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 16;
  auto parsed = json::parse(body, ec, {}, options);
  if (ec || !parsed.is_object())
    return fail(ErrorCode::kInvalidArgument, "the body is not a JSON object");
  const auto& o = parsed.as_object();
  InboundMessage m;
  GONGDAN_ASSIGN(m.event_id, string_member(o, "msgId", kMaxInboundIdLength));
  GONGDAN_ASSIGN(auto staff, string_member(o, "senderStaffId", kMaxInboundIdLength));
  GONGDAN_ASSIGN(auto sender, string_member(o, "senderId", kMaxInboundIdLength));
  GONGDAN_ASSIGN(auto nick, string_member(o, "senderNick", kMaxInboundNameLength));
  GONGDAN_ASSIGN(auto type, string_member(o, "msgtype", 40));
  if (m.event_id.empty()) return fail(bad("is required", "msgId"));
  m.external_id = !staff.empty() ? staff : sender;
  if (m.external_id.empty()) return fail(bad("is required", "senderStaffId"));
  if (type.empty()) return fail(bad("is required", "msgtype"));
  m.display_name = text::strip_controls(nick);
  if (type == "text") {
    const auto* t = o.if_contains("text");
    if (!t || !t->is_object()) return fail(bad("is required", "text"));
    GONGDAN_ASSIGN(m.text, string_member(t->as_object(), "content", kMaxInboundTextLength));
    m.text = text::trim(m.text);
  } else {
    m.text = "[" + type + "]";
  }
  if (m.text.empty()) return std::optional<InboundMessage>{};
  return std::optional<InboundMessage>(std::move(m));
}

}  // namespace gongdan::channels::im
