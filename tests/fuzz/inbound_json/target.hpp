// Inbound sources' webhook bodies as the fuzzer drives them: the same bytes through the generic,
// Telegram and CTI parsers and the signature check, then the promises of inbound_parse.hpp
// checked: only kInvalidArgument (a 400) for a bad body, and what is taken is within its
// limits and valid UTF-8. Shared with the unit test that replays the seed corpus.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "channels/im/inbound_parse.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::fuzz {

inline std::string broken_inbound_message(const Result<std::optional<InboundMessage>>& r) {
  if (!r)
    return r.error().code == ErrorCode::kInvalidArgument ? "" : "not a 400: " + r.error().message;
  if (!*r) return "";
  const auto& m = **r;
  if (m.event_id.empty() || m.event_id.size() > kMaxInboundIdLength) return "an event id";
  if (m.external_id.empty() || m.external_id.size() > kMaxInboundIdLength) return "a sender id";
  if (m.text.size() > kMaxInboundTextLength) return "a text over the limit";
  for (std::string_view s : {std::string_view(m.event_id), std::string_view(m.external_id),
                             std::string_view(m.display_name), std::string_view(m.text)})
    if (!text::is_valid_utf8(s)) return "text that is not UTF-8";
  // Files: at most ten, each with a reference; a URL is http(s) without white space.
  if (m.files.size() > kMaxInboundFiles) return "more files than the limit";
  for (const auto& f : m.files) {
    if (f.reference.empty() || !text::is_valid_utf8(f.name)) return "a file";
    if (f.reference.find_first_of(" \t\r\n") != std::string::npos) return "a file reference";
  }
  if (m.text.empty() && m.files.empty()) return "a message with neither text nor files";
  return "";
}

inline std::string run_inbound(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  if (auto broken = broken_inbound_message(channels::im::parse_generic_message(body));
      !broken.empty())
    return "generic: " + broken;
  if (auto broken = broken_inbound_message(channels::im::parse_telegram_update(body));
      !broken.empty())
    return "telegram: " + broken;
  auto call = channels::im::parse_call_event(body);
  if (!call && call.error().code != ErrorCode::kInvalidArgument) return "call: not a 400";
  if (call && (call->number.empty() || !text::is_valid_utf8(call->name)))
    return "call: a number or name";
  // Whatever the body, a signature made with another secret never checks.
  const std::string ts = "1700000000";
  const auto sig = crypto::body_signature("secret-a", ts, body);
  if (channels::im::check_signed_body("secret-b", ts, sig, body, 1700000000000)) return "signature";
  if (!channels::im::check_signed_body("secret-a", ts, sig, body, 1700000000000))
    return "a good signature refused";
  return "";
}

}  // namespace gongdan::fuzz
