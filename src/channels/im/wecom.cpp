#include "channels/im/wecom.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>

#include "channels/im/inbound_parse.hpp"
#include "channels/im/provider_answer.hpp"
#include "channels/im/provider_crypto.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::channels::im {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxEncrypted = 1 << 20;

Error bad(std::string message, std::string field = {}) {
  return {ErrorCode::kInvalidArgument, std::move(message), std::move(field)};
}

std::string decode_entities(std::string_view s) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    bool replaced = false;
    for (const auto& [name, c] : kEntities)
      if (s.substr(i).starts_with(name)) {
        out += c;
        i += name.size();
        replaced = true;
        break;
      }
    if (!replaced) out += s[i++];
  }
  return out;
}

// What a customer sent that is not text still reaches the desk, as a line saying what it was.
Result<std::string> text_of_item(const json::object& item, std::string_view type) {
  if (type == "text") {
    const auto* text = item.if_contains("text");
    if (!text || !text->is_object()) return fail(bad("is required", "text"));
    return string_member(text->as_object(), "content", kMaxInboundTextLength);
  }
  return "[" + std::string(type) + "]";
}

// An image, voice note, video or file: its media_id, fetched with media/get (the job). The name
// is the kind's; media/get's Content-Disposition names a file, and the bytes give the type. One
// without a media_id still reaches the desk, as the line saying what it was.
Result<std::optional<InboundFile>> file_of_item(const json::object& item, std::string_view type) {
  if (type != "image" && type != "voice" && type != "video" && type != "file")
    return std::optional<InboundFile>{};
  const auto* media = item.if_contains(type);
  if (!media || !media->is_object()) return std::optional<InboundFile>{};
  GONGDAN_ASSIGN(auto id, string_member(media->as_object(), "media_id", 512));
  if (id.empty()) return std::optional<InboundFile>{};
  return std::optional<InboundFile>(InboundFile{std::move(id), std::string(type), {}});
}

Result<std::optional<InboundMessage>> message_of(const json::value& v) {
  if (!v.is_object()) return fail(bad("must be objects", "msg_list"));
  const auto& item = v.as_object();
  const auto* origin = item.if_contains("origin");
  // 3: the customer wrote; 4: a system event; 5: an agent answered in WeCom itself.
  if (!origin || !origin->is_int64() || origin->get_int64() != 3)
    return std::optional<InboundMessage>{};
  GONGDAN_ASSIGN(auto type, string_member(item, "msgtype", 40));
  if (type.empty() || type == "event") return std::optional<InboundMessage>{};
  InboundMessage m;
  GONGDAN_ASSIGN(m.event_id, string_member(item, "msgid", kMaxInboundIdLength));
  GONGDAN_ASSIGN(auto kf, string_member(item, "open_kfid", 64));
  GONGDAN_ASSIGN(auto user, string_member(item, "external_userid", 100));
  if (m.event_id.empty() || kf.empty() || user.empty() || kf.find('/') != std::string::npos)
    return fail(bad("msgid, open_kfid and external_userid are required", "msg_list"));
  m.external_id = kf + "/" + user;
  m.display_name = text::strip_controls(user);
  GONGDAN_ASSIGN(auto file, file_of_item(item, type));
  if (file) {
    m.files.push_back(std::move(*file));  // the text is the file's name (InboundService::take)
    return std::optional<InboundMessage>(std::move(m));
  }
  GONGDAN_ASSIGN(m.text, text_of_item(item, type));
  if (text::trim(m.text).empty()) return std::optional<InboundMessage>{};
  return std::optional<InboundMessage>(std::move(m));
}

}  // namespace

std::optional<std::string> wecom_aes_key(std::string_view encoding_aes_key) {
  if (encoding_aes_key.size() != 43) return std::nullopt;
  auto key = base64_decode(std::string(encoding_aes_key) + "=");
  if (!key || key->size() != 32) return std::nullopt;
  return key;
}

std::string wecom_signature(std::string_view token, std::string_view timestamp,
                            std::string_view nonce, std::string_view encrypted) {
  std::array<std::string_view, 4> parts{token, timestamp, nonce, encrypted};
  std::sort(parts.begin(), parts.end());
  std::string joined;
  for (auto p : parts) joined += p;
  return sha1_hex(joined);
}

Result<std::string> wecom_open(const WecomKeys& keys, const WecomQuery& query,
                               std::string_view encrypted, Millis now) {
  if (!query.signature || !query.timestamp || !query.nonce)
    return fail(ErrorCode::kUnauthenticated, "send msg_signature, timestamp and nonce");
  const auto seconds = text::parse_integer<std::int64_t>(*query.timestamp);
  if (!seconds || *seconds < 0 || *seconds > 100'000'000'000 ||
      *seconds * 1000 < now - kMaxClockSkew || *seconds * 1000 > now + kMaxClockSkew)
    return fail(ErrorCode::kUnauthenticated, "stale timestamp: more than 5 minutes off");
  if (keys.token.empty() ||
      !crypto::equal_constant_time(
          wecom_signature(keys.token, *query.timestamp, *query.nonce, encrypted), *query.signature))
    return fail(ErrorCode::kUnauthenticated, "wrong msg_signature");
  const auto key = wecom_aes_key(keys.aes_key);
  if (!key) return fail(ErrorCode::kInvalidArgument, "the source's EncodingAESKey is not valid");
  if (encrypted.size() > kMaxEncrypted) return fail(bad("too long", "Encrypt"));
  const auto cipher = base64_decode(encrypted);
  if (!cipher) return fail(bad("is not base64", "Encrypt"));
  auto plain = aes256_cbc_decrypt(*key, std::string_view(*key).substr(0, 16), *cipher);
  if (plain) plain = pkcs7_unpad(std::move(*plain), 32);
  if (!plain || plain->size() < 20) return fail(bad("does not decrypt with the key", "Encrypt"));
  const auto* b = reinterpret_cast<const unsigned char*>(plain->data() + 16);
  const std::size_t length = std::size_t{b[0]} << 24 | std::size_t{b[1]} << 16 |
                             std::size_t{b[2]} << 8 | std::size_t{b[3]};
  if (length > plain->size() - 20) return fail(bad("its length is wrong", "Encrypt"));
  if (plain->substr(20 + length) != keys.corp_id)
    return fail(ErrorCode::kUnauthenticated, "the message is for another CorpID");
  return plain->substr(20, length);
}

std::string wecom_seal(const WecomKeys& keys, std::string_view message, std::string_view random16) {
  const auto key = wecom_aes_key(keys.aes_key);
  if (!key || random16.size() != 16) return {};
  const auto n = static_cast<std::uint32_t>(message.size());
  std::string plain(random16);
  for (int shift : {24, 16, 8, 0}) plain += static_cast<char>((n >> shift) & 0xff);
  plain += message;
  plain += keys.corp_id;
  auto cipher = aes256_cbc_encrypt(*key, std::string_view(*key).substr(0, 16),
                                   pkcs7_pad(std::move(plain), 32));
  return cipher ? base64_encode(*cipher) : std::string();
}

std::optional<std::string> xml_member(std::string_view xml, std::string_view tag) {
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  const auto start = xml.find(open);
  if (start == std::string_view::npos) return std::nullopt;
  std::string_view rest = xml.substr(start + open.size());
  constexpr std::string_view kCdata = "<![CDATA[";
  if (rest.starts_with(kCdata)) {
    const auto end = rest.find("]]>");
    if (end == std::string_view::npos || !rest.substr(end + 3).starts_with(close))
      return std::nullopt;
    return std::string(rest.substr(kCdata.size(), end - kCdata.size()));
  }
  const auto end = rest.find(close);
  if (end == std::string_view::npos || rest.substr(0, end).find('<') != std::string_view::npos)
    return std::nullopt;
  return decode_entities(rest.substr(0, end));
}

Result<std::string> wecom_encrypted_member(std::string_view body) {
  if (body.find("<xml>") == std::string_view::npos)
    return fail(ErrorCode::kInvalidArgument, "the body is not WeCom's XML");
  auto encrypted = xml_member(body, "Encrypt");
  if (!encrypted || encrypted->empty()) return fail(bad("is required", "Encrypt"));
  return std::move(*encrypted);
}

Result<WecomEvent> parse_wecom_event(std::string_view xml) {
  if (xml.find("<xml>") == std::string_view::npos)
    return fail(ErrorCode::kInvalidArgument, "the decrypted message is not WeCom's XML");
  WecomEvent e;
  e.event = xml_member(xml, "Event").value_or("");
  if (e.event != "kf_msg_or_event") return e;
  e.sync_token = xml_member(xml, "Token").value_or("");
  e.open_kfid = xml_member(xml, "OpenKfId").value_or("");
  if (e.sync_token.empty() || e.sync_token.size() > 128 || !text::is_valid_utf8(e.sync_token))
    return fail(bad("is required, up to 128 bytes", "Token"));
  if (e.open_kfid.size() > 64 || !text::is_valid_utf8(e.open_kfid))
    return fail(bad("up to 64 bytes", "OpenKfId"));
  return e;
}

Result<WecomBatch> parse_wecom_sync(std::string_view body) {
  GONGDAN_ASSIGN(auto o, provider_answer(InboundKind::kWecom, 200, body));
  WecomBatch batch;
  GONGDAN_ASSIGN(batch.next_cursor, string_member(o, "next_cursor", 64));
  if (const auto* more = o.if_contains("has_more"))
    batch.has_more = more->is_bool() ? more->get_bool() : more->is_int64() && more->get_int64();
  const auto* list = o.if_contains("msg_list");
  if (!list) return batch;
  if (!list->is_array()) return fail(bad("must be an array", "msg_list"));
  for (const auto& item : list->as_array()) {
    GONGDAN_ASSIGN(auto m, message_of(item));
    if (m) batch.messages.push_back(std::move(*m));
  }
  return batch;
}

std::optional<WecomPeer> wecom_peer(std::string_view external_id) {
  const auto slash = external_id.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == external_id.size())
    return std::nullopt;
  return WecomPeer{std::string(external_id.substr(0, slash)),
                   std::string(external_id.substr(slash + 1))};
}

}  // namespace gongdan::channels::im
