#include "channels/im/feishu.hpp"

#include <boost/json.hpp>

#include "channels/im/inbound_parse.hpp"
#include "channels/im/provider_crypto.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::channels::im {
namespace {

namespace json = boost::json;

Error bad(std::string message, std::string field = {}) {
  return {ErrorCode::kInvalidArgument, std::move(message), std::move(field)};
}

Result<json::object> object_of(std::string_view text, std::string_view what) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 32;
  auto parsed = json::parse(text, ec, {}, options);
  if (ec || !parsed.is_object())
    return fail(ErrorCode::kInvalidArgument, std::string(what) + " is not a JSON object");
  return std::move(parsed.as_object());
}

const json::object* object_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

std::string string_at(const json::object* o, std::string_view key) {
  const auto* v = o ? o->if_contains(key) : nullptr;
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

Result<std::string> decrypt(std::string_view encrypt_key, const json::object& outer) {
  const std::string encrypted = string_at(&outer, "encrypt");
  if (encrypted.empty()) return fail(bad("is required: the app encrypts its events", "encrypt"));
  return feishu_decrypt(encrypt_key, encrypted);
}

Result<void> check_signature(const FeishuKeys& keys, const FeishuHeaders& h, std::string_view body,
                             Millis now) {
  if (!h.timestamp || !h.nonce || !h.signature)
    return fail(ErrorCode::kUnauthenticated, "send X-Lark-Signature with its timestamp and nonce");
  const auto seconds = text::parse_integer<std::int64_t>(*h.timestamp);
  if (!seconds || *seconds < 0 || *seconds > 100'000'000'000 ||
      *seconds * 1000 < now - kMaxClockSkew || *seconds * 1000 > now + kMaxClockSkew)
    return fail(ErrorCode::kUnauthenticated, "stale timestamp: more than 5 minutes off");
  if (!crypto::equal_constant_time(feishu_signature(*h.timestamp, *h.nonce, keys.encrypt_key, body),
                                   *h.signature))
    return fail(ErrorCode::kUnauthenticated, "wrong X-Lark-Signature");
  return {};
}

// A resource of message `message_id`, fetched from im/v1/messages/{message_id}/resources/
// {key}?type=image|file: the reference is "type/message_id/key" (none of them holds a '/').
std::optional<InboundFile> resource(std::string_view type, const std::string& message_id,
                                    const std::string& key, std::string name) {
  if (message_id.empty() || key.empty() || message_id.size() > 200 || key.size() > 300 ||
      message_id.find('/') != std::string::npos || key.find('/') != std::string::npos)
    return std::nullopt;
  return InboundFile{std::string(type) + "/" + message_id + "/" + key, std::move(name), {}};
}

// A rich text ("post"): its title and lines, text and links as text, pictures as files.
void read_post(const json::object& content, const std::string& message_id, InboundMessage& m) {
  const json::object* post = &content;
  // Some deliveries wrap the post in its language ({"zh_cn": {...}}).
  if (!post->contains("content") && post->size() == 1 && post->begin()->value().is_object())
    post = &post->begin()->value().as_object();
  std::string text = string_at(post, "title");
  const auto* lines = post->if_contains("content");
  if (lines && lines->is_array())
    for (const auto& line : lines->as_array()) {
      if (!line.is_array()) continue;
      if (!text.empty()) text += "\n";
      for (const auto& node : line.as_array()) {
        const auto* n = node.if_object();
        if (!n) continue;
        const std::string tag = string_at(n, "tag");
        if (tag == "text" || tag == "a") text += string_at(n, "text");
        if (tag == "img" && m.files.size() < kMaxInboundFiles)
          if (auto f = resource("image", message_id, string_at(n, "image_key"), "image"))
            m.files.push_back(std::move(*f));
      }
    }
  m.text = text::trim(text);
}

// An image, file, voice note (audio) or video (media) message: one file.
void read_file(const json::object& content, const std::string& type, const std::string& message_id,
               InboundMessage& m) {
  const bool image = type == "image";
  const std::string key = string_at(&content, image ? "image_key" : "file_key");
  std::string name = text::strip_controls(string_at(&content, "file_name"));
  if (name.empty() || name.size() > kMaxInboundNameLength || !text::is_valid_utf8(name))
    name = image ? "image" : type == "audio" ? "voice" : type == "media" ? "video" : "file";
  auto f = resource(image ? "image" : "file", message_id, key, name);
  if (f)
    m.files.push_back(std::move(*f));
  else
    m.text = "[" + name + "]";  // nothing to fetch: the line saying what it was
}

// im.message.receive_v1's sender and message; a text's content is JSON: {"text": "..."}.
Result<InboundMessage> message_of(const json::object& header, const json::object& event) {
  InboundMessage m;
  m.event_id = string_at(&header, "event_id");
  const auto* sender = object_at(event, "sender");
  m.external_id = string_at(sender ? object_at(*sender, "sender_id") : nullptr, "open_id");
  const auto* message = object_at(event, "message");
  const std::string type = string_at(message, "message_type");
  if (m.event_id.empty() || m.event_id.size() > kMaxInboundIdLength || m.external_id.empty() ||
      m.external_id.size() > kMaxInboundIdLength || type.empty())
    return fail(
        bad("header.event_id, event.sender.sender_id.open_id and "
            "event.message.message_type are required",
            "event"));
  m.display_name = m.external_id;
  const std::string message_id = string_at(message, "message_id");
  if (type == "text") {
    GONGDAN_ASSIGN(auto content, object_of(string_at(message, "content"), "message.content"));
    m.text = string_at(&content, "text");
  } else if (type == "post") {
    GONGDAN_ASSIGN(auto content, object_of(string_at(message, "content"), "message.content"));
    read_post(content, message_id, m);
  } else if (type == "image" || type == "file" || type == "audio" || type == "media") {
    GONGDAN_ASSIGN(auto content, object_of(string_at(message, "content"), "message.content"));
    read_file(content, type, message_id, m);
  } else {
    m.text = "[" + text::cut_utf8(type, 40) + "]";
  }
  if (m.text.size() > kMaxInboundTextLength || !text::is_valid_utf8(m.text) ||
      !text::is_valid_utf8(m.event_id) || !text::is_valid_utf8(m.external_id))
    return fail(bad("too long or not UTF-8", "event.message.content"));
  m.display_name = text::strip_controls(m.display_name);
  return m;
}

}  // namespace

Result<std::string> feishu_decrypt(std::string_view encrypt_key, std::string_view encrypted) {
  const auto bytes = base64_decode(encrypted);
  if (!bytes || bytes->size() < 32) return fail(bad("is not base64 of IV and data", "encrypt"));
  auto plain = aes256_cbc_decrypt(sha256_raw(encrypt_key), bytes->substr(0, 16),
                                  std::string_view(*bytes).substr(16));
  if (plain) plain = pkcs7_unpad(std::move(*plain), 16);
  if (!plain) return fail(bad("does not decrypt with the Encrypt Key", "encrypt"));
  return std::move(*plain);
}

std::string feishu_signature(std::string_view timestamp, std::string_view nonce,
                             std::string_view encrypt_key, std::string_view body) {
  std::string joined;
  joined.reserve(timestamp.size() + nonce.size() + encrypt_key.size() + body.size());
  joined.append(timestamp).append(nonce).append(encrypt_key).append(body);
  return sha256_hex_of(joined);
}

std::string feishu_seal(std::string_view encrypt_key, std::string_view plain, std::string_view iv) {
  auto cipher = aes256_cbc_encrypt(sha256_raw(encrypt_key), iv, pkcs7_pad(std::string(plain), 16));
  return cipher ? base64_encode(std::string(iv) + *cipher) : std::string();
}

Result<FeishuEvent> open_feishu(const FeishuKeys& keys, const FeishuHeaders& headers,
                                std::string_view body, Millis now) {
  GONGDAN_ASSIGN(auto outer, object_of(body, "the body"));
  json::object inner;
  if (keys.encrypt_key.empty()) {
    inner = std::move(outer);
  } else {
    // The challenge comes unsigned; every event is signed.
    if (headers.signature) GONGDAN_TRY(check_signature(keys, headers, body, now));
    GONGDAN_ASSIGN(auto plain, decrypt(keys.encrypt_key, outer));
    GONGDAN_ASSIGN(inner, object_of(plain, "the decrypted event"));
  }
  const auto* header = object_at(inner, "header");
  const std::string token = header ? string_at(header, "token") : string_at(&inner, "token");
  if (keys.verification_token.empty() ||
      !crypto::equal_constant_time(token, keys.verification_token))
    return fail(ErrorCode::kUnauthenticated, "wrong Verification Token");
  FeishuEvent e;
  if (string_at(&inner, "type") == "url_verification") {
    e.kind = FeishuEventKind::kChallenge;
    e.challenge = text::cut_utf8(string_at(&inner, "challenge"), 500);
    return e;
  }
  if (!keys.encrypt_key.empty() && !headers.signature)
    return fail(ErrorCode::kUnauthenticated, "send X-Lark-Signature with its timestamp and nonce");
  const auto* event = object_at(inner, "event");
  if (!header || !event || string_at(header, "event_type") != "im.message.receive_v1") return e;
  const auto* sender = object_at(*event, "sender");
  if (string_at(sender, "sender_type") != "user") return e;  // a bot's own message
  GONGDAN_ASSIGN(e.message, message_of(*header, *event));
  e.kind = text::trim(e.message.text).empty() && e.message.files.empty()
               ? FeishuEventKind::kOther
               : FeishuEventKind::kMessage;
  return e;
}

}  // namespace gongdan::channels::im
