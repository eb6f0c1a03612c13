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

// A file's downloadCode (exchanged for a download URL by v1.0/robot/messageFiles/download).
Result<std::optional<InboundFile>> file_at(const json::object& o, std::string name) {
  GONGDAN_ASSIGN(auto code, string_member(o, "downloadCode", 2048));
  if (code.empty()) {
    GONGDAN_ASSIGN(code, string_member(o, "pictureDownloadCode", 2048));
  }
  if (code.empty()) return std::optional<InboundFile>{};
  return std::optional<InboundFile>(InboundFile{std::move(code), std::move(name), {}});
}

// A picture, file, voice note or video (msgtype, with `content` as an object, or a string of
// one), or a rich text's lines and pictures: the message's text and files.
Result<void> read_content(const json::object& o, const std::string& type, InboundMessage& m) {
  const auto* v = o.if_contains("content");
  json::value parsed;
  if (v && v->is_string()) {
    boost::system::error_code ec;
    json::parse_options options;
    options.max_depth = 8;
    parsed = json::parse(v->get_string(), ec, {}, options);
    if (ec) return fail(bad("is not JSON", "content"));
    v = &parsed;
  }
  if (!v || !v->is_object()) {
    m.text = "[" + type + "]";  // nothing to fetch: the line saying what it was
    return {};
  }
  const auto& content = v->as_object();
  if (type == "richText") {
    const auto* list = content.if_contains("richText");
    if (!list || !list->is_array()) return fail(bad("must be a list", "content.richText"));
    for (const auto& item : list->as_array()) {
      if (!item.is_object()) return fail(bad("must be a list of objects", "content.richText"));
      GONGDAN_ASSIGN(auto text, string_member(item.as_object(), "text", kMaxInboundTextLength));
      if (!text.empty() && m.text.size() + text.size() <= kMaxInboundTextLength) m.text += text;
      GONGDAN_ASSIGN(auto file, file_at(item.as_object(), "image"));
      if (file && m.files.size() < kMaxInboundFiles) m.files.push_back(std::move(*file));
    }
    m.text = text::trim(m.text);
    return {};
  }
  std::string name = type == "picture" ? "image" : type == "audio" ? "voice" : type;
  GONGDAN_ASSIGN(auto file_name, string_member(content, "fileName", kMaxInboundNameLength));
  if (!file_name.empty()) name = text::strip_controls(file_name);
  GONGDAN_ASSIGN(auto file, file_at(content, std::move(name)));
  if (file)
    m.files.push_back(std::move(*file));
  else
    m.text = "[" + type + "]";
  return {};
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
  } else if (type == "picture" || type == "file" || type == "audio" || type == "video" ||
             type == "richText") {
    GONGDAN_TRY(read_content(o, type, m));
  } else {
    m.text = "[" + type + "]";
  }
  if (m.text.empty() && m.files.empty()) return std::optional<InboundMessage>{};
  return std::optional<InboundMessage>(std::move(m));
}

}  // namespace gongdan::channels::im
