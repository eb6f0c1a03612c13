#include "channels/im/inbound_parse.hpp"

#include <boost/json.hpp>

#include "domain/call_log.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::channels::im {
namespace {

namespace json = boost::json;

Error bad(std::string message, std::string field = {}) {
  return {ErrorCode::kInvalidArgument, std::move(message), std::move(field)};
}

Result<json::object> parse_body(std::string_view body) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 16;
  auto parsed = json::parse(body, ec, {}, options);
  if (ec) return fail(ErrorCode::kInvalidArgument, "the body is not JSON: " + ec.message());
  if (!parsed.is_object()) return fail(ErrorCode::kInvalidArgument, "the body is not an object");
  return std::move(parsed.as_object());
}

// A text member: absent (nullopt), or valid UTF-8 of at most `max` bytes.
Result<std::optional<std::string>> text_of(const json::object& o, std::string_view key,
                                           std::size_t max, std::string_view field) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::string>{};
  if (!v->is_string()) return fail(bad("must be a string", std::string(field)));
  std::string s(v->get_string());
  if (s.size() > max || !text::is_valid_utf8(s))
    return fail(bad("too long or not UTF-8", std::string(field)));
  return std::optional<std::string>(std::move(s));
}

// An id given as a string or an integer (providers use both), as text.
Result<std::optional<std::string>> id_of(const json::object& o, std::string_view key,
                                         std::string_view field) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::string>{};
  if (v->is_int64()) return std::optional<std::string>(std::to_string(v->get_int64()));
  if (v->is_uint64()) return std::optional<std::string>(std::to_string(v->get_uint64()));
  if (!v->is_string()) return fail(bad("must be a string or an integer", std::string(field)));
  std::string s = text::strip_controls(text::trim(v->get_string()));
  if (s.empty() || s.size() > kMaxInboundIdLength || !text::is_valid_utf8(s))
    return fail(bad("empty, too long or not UTF-8", std::string(field)));
  return std::optional<std::string>(std::move(s));
}

Result<std::string> required_id(const json::object& o, std::string_view key,
                                std::string_view field) {
  GONGDAN_ASSIGN(auto id, id_of(o, key, field));
  if (!id) return fail(bad("is required", std::string(field)));
  return std::move(*id);
}

const json::object* object_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

}  // namespace

Result<void> check_signed_body(std::string_view secret, std::optional<std::string_view> timestamp,
                               std::optional<std::string_view> signature, std::string_view body,
                               Millis now) {
  if (!timestamp || !signature)
    return fail(ErrorCode::kUnauthenticated,
                "send X-Gongdan-Timestamp and X-Gongdan-Signature (docs/channels.md)");
  const auto seconds = text::parse_integer<std::int64_t>(*timestamp);
  if (!seconds || *seconds < 0 || *seconds > 100'000'000'000)
    return fail(ErrorCode::kUnauthenticated, "X-Gongdan-Timestamp is not Unix seconds");
  const Millis at = *seconds * 1000;
  if (at < now - kMaxClockSkew || at > now + kMaxClockSkew)
    return fail(ErrorCode::kUnauthenticated, "stale timestamp: more than 5 minutes off");
  if (secret.empty() ||
      !crypto::equal_constant_time(crypto::body_signature(secret, *timestamp, body), *signature))
    return fail(ErrorCode::kUnauthenticated, "wrong signature");
  return {};
}

Result<void> check_secret_token(std::string_view secret, std::optional<std::string_view> sent) {
  if (!sent) return fail(ErrorCode::kUnauthenticated, "missing X-Telegram-Bot-Api-Secret-Token");
  if (secret.empty() || !crypto::equal_constant_time(secret, *sent))
    return fail(ErrorCode::kUnauthenticated, "wrong secret token");
  return {};
}

namespace {

// The generic source's "attachments": [{"url", "name", "content_type"}], at most ten.
Result<std::vector<InboundFile>> generic_files(const json::object& o) {
  std::vector<InboundFile> out;
  const auto* list = o.if_contains("attachments");
  if (!list || list->is_null()) return out;
  if (!list->is_array() || list->as_array().size() > kMaxInboundFiles)
    return fail(bad("must be a list of at most 10 objects", "attachments"));
  for (const auto& item : list->as_array()) {
    if (!item.is_object()) return fail(bad("must be a list of objects", "attachments"));
    const auto& a = item.as_object();
    InboundFile f;
    GONGDAN_ASSIGN(auto url_member, text_of(a, "url", 2000, "attachments.url"));
    // Read through value_or: GCC 12 at -O3 sees the optional's string as maybe uninitialised.
    f.reference = url_member.value_or("");
    if ((!f.reference.starts_with("https://") && !f.reference.starts_with("http://")) ||
        f.reference.find_first_of(" \t\r\n") != std::string::npos)
      return fail(bad("is required: an http or https URL", "attachments.url"));
    GONGDAN_ASSIGN(auto name, text_of(a, "name", 255, "attachments.name"));
    f.name = text::strip_controls(name.value_or("attachment"));
    GONGDAN_ASSIGN(auto type, text_of(a, "content_type", 100, "attachments.content_type"));
    f.content_type = text::strip_controls(type.value_or(""));
    out.push_back(std::move(f));
  }
  return out;
}

// A Telegram message's file (core.telegram.org/bots/api#message): the largest size of a photo,
// or the document, voice note, audio, video or animation; nullopt for text alone.
Result<std::optional<InboundFile>> telegram_file(const json::object& message) {
  InboundFile f;
  const json::object* file = nullptr;
  if (const auto* photo = message.if_contains("photo"); photo && photo->is_array()) {
    const auto& sizes = photo->as_array();
    if (!sizes.empty() && sizes.back().is_object()) file = &sizes.back().as_object();
    f.name = "photo.jpg";
    f.content_type = "image/jpeg";
  }
  for (const char* kind : {"document", "voice", "audio", "video", "animation", "video_note"}) {
    if (file) break;
    if ((file = object_member(message, kind))) f.name = kind;
  }
  if (!file) return std::optional<InboundFile>{};
  GONGDAN_ASSIGN(auto id, text_of(*file, "file_id", 200, "message.file_id"));
  f.reference = id.value_or("");
  if (f.reference.empty()) return fail(bad("is required", "message.file_id"));
  GONGDAN_ASSIGN(auto name, text_of(*file, "file_name", 255, "message.file_name"));
  if (const std::string n = name.value_or(""); !n.empty()) f.name = text::strip_controls(n);
  GONGDAN_ASSIGN(auto type, text_of(*file, "mime_type", 100, "message.mime_type"));
  if (const std::string t = type.value_or(""); !t.empty()) f.content_type = text::strip_controls(t);
  return std::optional<InboundFile>(std::move(f));
}

}  // namespace

Result<std::optional<InboundMessage>> parse_generic_message(std::string_view body) {
  GONGDAN_ASSIGN(auto o, parse_body(body));
  InboundMessage m;
  GONGDAN_ASSIGN(m.event_id, required_id(o, "id", "id"));
  const auto* from = object_member(o, "from");
  if (!from) return fail(bad("is required: an object with id and name", "from"));
  GONGDAN_ASSIGN(m.external_id, required_id(*from, "id", "from.id"));
  GONGDAN_ASSIGN(auto name, text_of(*from, "name", kMaxInboundNameLength, "from.name"));
  m.display_name = text::strip_controls(name.value_or(""));
  GONGDAN_ASSIGN(m.files, generic_files(o));
  GONGDAN_ASSIGN(auto text, text_of(o, "text", kMaxInboundTextLength, "text"));
  if ((!text || text::trim(*text).empty()) && m.files.empty())
    return fail(bad("is required (or attachments)", "text"));
  m.text = text ? std::move(*text) : std::string();
  GONGDAN_ASSIGN(auto subject, text_of(o, "subject", 500, "subject"));
  m.subject = subject.value_or("");
  return std::optional<InboundMessage>(std::move(m));
}

Result<std::optional<InboundMessage>> parse_telegram_update(std::string_view body) {
  GONGDAN_ASSIGN(auto o, parse_body(body));
  InboundMessage m;
  GONGDAN_ASSIGN(m.event_id, required_id(o, "update_id", "update_id"));
  // Edits, channel posts, callbacks, joins …: acknowledged, nothing for the desk.
  const auto* message = object_member(o, "message");
  if (!message) return std::optional<InboundMessage>{};
  const auto* chat = object_member(*message, "chat");
  if (!chat) return fail(bad("is required", "message.chat"));
  GONGDAN_ASSIGN(m.external_id, required_id(*chat, "id", "message.chat.id"));
  if (const auto* from = object_member(*message, "from")) {
    GONGDAN_ASSIGN(auto first, text_of(*from, "first_name", kMaxInboundNameLength, "first_name"));
    GONGDAN_ASSIGN(auto last, text_of(*from, "last_name", kMaxInboundNameLength, "last_name"));
    GONGDAN_ASSIGN(auto user, text_of(*from, "username", kMaxInboundNameLength, "username"));
    std::string name = first.value_or("");
    if (last) name += (name.empty() ? "" : " ") + *last;
    if (name.empty() && user) name = *user;
    m.display_name = text::strip_controls(name);
  }
  GONGDAN_ASSIGN(auto text, text_of(*message, "text", kMaxInboundTextLength, "message.text"));
  if (!text) {
    GONGDAN_ASSIGN(text, text_of(*message, "caption", kMaxInboundTextLength, "message.caption"));
  }
  GONGDAN_ASSIGN(auto file, telegram_file(*message));
  if (file) m.files.push_back(std::move(*file));
  if ((!text || text::trim(*text).empty()) && m.files.empty())
    return std::optional<InboundMessage>{};
  m.text = text ? std::move(*text) : std::string();
  return std::optional<InboundMessage>(std::move(m));
}

Result<CallEvent> parse_call_event(std::string_view body) {
  GONGDAN_ASSIGN(auto o, parse_body(body));
  CallEvent e;
  GONGDAN_ASSIGN(e.event_id, required_id(o, "id", "id"));
  GONGDAN_ASSIGN(auto kind, text_of(o, "event", 20, "event"));
  if (!kind) return fail(bad("is required: ringing, answered, missed or ended", "event"));
  if (*kind == "ringing") {
    e.kind = CallEventKind::kRinging;
  } else if (*kind == "answered") {
    e.kind = CallEventKind::kAnswered;
  } else if (*kind == "missed") {
    e.kind = CallEventKind::kMissed;
  } else if (*kind == "ended") {
    e.kind = CallEventKind::kEnded;
  } else {
    return fail(bad("use ringing, answered, missed or ended", "event"));
  }
  GONGDAN_ASSIGN(auto number, text_of(o, "number", 64, "number"));
  if (!number || !is_phone_number(text::trim(*number)))
    return fail(bad("is required: digits, + - ( ) and spaces", "number"));
  e.number = text::trim(*number);
  GONGDAN_ASSIGN(auto name, text_of(o, "name", kMaxInboundNameLength, "name"));
  e.name = text::strip_controls(name.value_or(""));
  GONGDAN_ASSIGN(auto direction, text_of(o, "direction", 20, "direction"));
  e.direction = direction.value_or("inbound");
  if (e.direction != "inbound" && e.direction != "outbound")
    return fail(bad("use inbound or outbound", "direction"));
  if (const auto* agent = o.if_contains("agent_id"); agent && !agent->is_null()) {
    if (!agent->is_int64() || agent->get_int64() < 1)
      return fail(bad("must be a positive integer", "agent_id"));
    e.agent_id = agent->get_int64();
  }
  if (const auto* d = o.if_contains("duration_seconds"); d && !d->is_null()) {
    if (!d->is_int64() || d->get_int64() < 0 || d->get_int64() > 7 * 86400)
      return fail(bad("must be 0 to 604800", "duration_seconds"));
    e.duration_seconds = d->get_int64();
  }
  GONGDAN_ASSIGN(auto recording, text_of(o, "recording_url", 2000, "recording_url"));
  e.recording_url = recording.value_or("");
  if (!e.recording_url.empty() && !e.recording_url.starts_with("https://") &&
      !e.recording_url.starts_with("http://"))
    return fail(bad("must be an http or https URL", "recording_url"));
  return e;
}

Result<std::string> string_member(const json::object& o, std::string_view key, std::size_t max) {
  GONGDAN_ASSIGN(auto s, text_of(o, key, max, key));
  return s.value_or(std::string());
}

}  // namespace gongdan::channels::im
