// Feishu (飞书) event subscriptions, from Feishu's public specification ("事件订阅"): a pure
// function from a callback's headers and body to what it says.
//
// Every event carries the app's Verification Token (header.token in schema 2.0, token in the
// url_verification challenge), compared in constant time. With an Encrypt Key set, the body is
// {"encrypt": base64(IV(16) + AES-256-CBC(key = SHA-256(Encrypt Key), PKCS#7))} and events
// are signed: X-Lark-Signature = hex SHA-256(X-Lark-Request-Timestamp + X-Lark-Request-Nonce +
// Encrypt Key + raw body). The url_verification challenge Feishu sends unsigned is answered
// only when it decrypts and carries the token. im.message.receive_v1 is a customer's message.
//
// Errors: kUnauthenticated (401) for a wrong token, a missing or wrong signature, a stale
// timestamp; kInvalidArgument (400) for a body or payload that is not the protocol's JSON or
// does not decrypt.
//
// Files: an image, file, audio (a voice note) or media (a video) message, and the pictures of a
// rich text ("post"), are files whose reference is "image/<message_id>/<image_key>" or
// "file/<message_id>/<file_key>", fetched with im/v1/messages/{message_id}/resources/{key}?type=
// (jobs/im_file_job); a post's title and text lines are its text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/inbound_source.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan::channels::im {

struct FeishuKeys {
  std::string_view verification_token;
  std::string_view encrypt_key;  // empty: the app does not encrypt its events
};

struct FeishuHeaders {
  std::optional<std::string_view> timestamp;  // X-Lark-Request-Timestamp
  std::optional<std::string_view> nonce;      // X-Lark-Request-Nonce
  std::optional<std::string_view> signature;  // X-Lark-Signature
};

enum class FeishuEventKind { kChallenge, kMessage, kOther };

struct FeishuEvent {
  FeishuEventKind kind = FeishuEventKind::kOther;
  std::string challenge;
  InboundMessage message;  // kMessage: event id, the sender's open_id, the text
};

Result<FeishuEvent> open_feishu(const FeishuKeys& keys, const FeishuHeaders& headers,
                                std::string_view body, Millis now);

// The plain text inside an event's "encrypt" (400 when it is not base64 or does not decrypt).
Result<std::string> feishu_decrypt(std::string_view encrypt_key, std::string_view encrypted);
std::string feishu_signature(std::string_view timestamp, std::string_view nonce,
                             std::string_view encrypt_key, std::string_view body);
// What Feishu would send: base64 of IV + the AES payload of `plain` (`iv`: 16 bytes).
std::string feishu_seal(std::string_view encrypt_key, std::string_view plain, std::string_view iv);

}  // namespace gongdan::channels::im
