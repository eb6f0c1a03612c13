// What an inbound source's webhook receives, as pure functions from the request's bytes to a
// checked message (no I/O, no clock: `now` is passed in), each fuzzed (tests/fuzz/inbound_json).
//
// Errors: kUnauthenticated when the signature (or secret token) is missing or wrong, or the
// timestamp is stale (more than kMaxClockSkew from `now`): a replay or a forgery; the handler
// answers 401. kInvalidArgument for a body that is not the JSON the protocol describes: 400.
// A well-formed delivery of something that is not a customer's text (a Telegram edit, a join)
// is nullopt: taken, answered 200, nothing created.
//
// The generic source (docs/channels.md): headers X-Gongdan-Timestamp (Unix seconds) and
// X-Gongdan-Signature: "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + raw body), the
// scheme gongdan's own outgoing webhooks sign with; body
//   {"id": "...", "from": {"id": "...", "name": "..."}, "text": "...", "subject": "..."}.
// Telegram (core.telegram.org/bots/api#setwebhook): the header
// X-Telegram-Bot-Api-Secret-Token equals the secret_token given to setWebhook; the body is an
// Update, of which `message` with `text` (or a `caption`) is taken.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "domain/inbound_source.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan::channels::im {

inline constexpr Millis kMaxClockSkew = 5 * 60 * 1000;

// The signature of the generic source and of the CTI webhook.
Result<void> check_signed_body(std::string_view secret, std::optional<std::string_view> timestamp,
                               std::optional<std::string_view> signature, std::string_view body,
                               Millis now);
Result<void> check_secret_token(std::string_view secret, std::optional<std::string_view> sent);

Result<std::optional<InboundMessage>> parse_generic_message(std::string_view body);
// A string member of a provider's JSON, empty when absent; valid UTF-8 of at most `max` bytes,
// else kInvalidArgument naming `key`.
Result<std::string> string_member(const boost::json::object& o, std::string_view key,
                                  std::size_t max);
Result<std::optional<InboundMessage>> parse_telegram_update(std::string_view body);

// A PBX's call event (docs/channels.md), signed like the generic source.
enum class CallEventKind { kRinging, kAnswered, kMissed, kEnded };
struct CallEvent {
  std::string event_id;
  CallEventKind kind = CallEventKind::kRinging;
  std::string number;  // the caller (inbound) or callee (outbound)
  std::string name;
  std::string direction = "inbound";
  std::optional<std::int64_t> agent_id;  // who the PBX rings or connected
  std::int64_t duration_seconds = 0;
  std::string recording_url;
};
Result<CallEvent> parse_call_event(std::string_view body);

}  // namespace gongdan::channels::im
