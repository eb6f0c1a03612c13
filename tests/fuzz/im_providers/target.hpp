// The IM providers' callbacks as the fuzzer drives them (channels/im: wecom, feishu, dingtalk
// and the shared provider answers, media answers and Content-Disposition included): the first byte
// picks what the rest is, then the promises of wecom.hpp and provider_answer.hpp are checked: a bad
// request is only ever a 400 or a 401, what is taken is within its limits and valid UTF-8, and
// whatever the bytes, what WeCom would seal opens to them again and a signature made with another
// Token never checks. Shared with the unit test that replays the seed corpus.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "channels/im/dingtalk.hpp"
#include "channels/im/feishu.hpp"
#include "channels/im/provider_answer.hpp"
#include "channels/im/wecom.hpp"
#include "util/text.hpp"

namespace gongdan::fuzz {

inline constexpr std::string_view kFuzzAesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
inline constexpr Millis kFuzzNow = 1'700'000'000'000;

inline bool is_request_error(const Error& e) {
  return e.code == ErrorCode::kInvalidArgument || e.code == ErrorCode::kUnauthenticated;
}

inline std::string broken_message(const InboundMessage& m) {
  if (m.event_id.empty() || m.event_id.size() > kMaxInboundIdLength) return "an event id";
  if (m.external_id.empty() || m.external_id.size() > 300) return "a sender id";
  if (m.text.size() > kMaxInboundTextLength) return "a text over the limit";
  if (m.files.size() > kMaxInboundFiles) return "more files than the limit";
  for (const auto& f : m.files)
    if (f.reference.empty() || f.reference.size() > 4096 || f.name.empty() ||
        !text::is_valid_utf8(f.name))
      return "a file without a reference or a UTF-8 name";
  for (std::string_view s : {std::string_view(m.event_id), std::string_view(m.external_id),
                             std::string_view(m.display_name), std::string_view(m.text)})
    if (!text::is_valid_utf8(s)) return "text that is not UTF-8";
  return "";
}

// A WeCom callback body, signed correctly, so that the bytes reach the decryption.
inline std::string run_wecom_callback(std::string_view body) {
  const channels::im::WecomKeys keys{"token", kFuzzAesKey, "wwcorp"};
  auto encrypted = channels::im::wecom_encrypted_member(body);
  if (!encrypted) return is_request_error(encrypted.error()) ? "" : "encrypt: not a 4xx";
  const auto sig = channels::im::wecom_signature("token", "1700000000", "n", *encrypted);
  auto opened = channels::im::wecom_open(keys, {sig, "1700000000", "n"}, *encrypted, kFuzzNow);
  if (!opened) return is_request_error(opened.error()) ? "" : "open: not a 4xx";
  auto event = channels::im::parse_wecom_event(*opened);
  if (!event) return is_request_error(event.error()) ? "" : "event: not a 4xx";
  if (event->sync_token.size() > 128) return "a sync token over the limit";
  return "";
}

inline std::string run_wecom_seal(std::string_view bytes) {
  const channels::im::WecomKeys keys{"token", kFuzzAesKey, "wwcorp"};
  const std::string sealed = channels::im::wecom_seal(keys, bytes, "0123456789abcdef");
  const auto sig = channels::im::wecom_signature("token", "1700000000", "n", sealed);
  auto opened = channels::im::wecom_open(keys, {sig, "1700000000", "n"}, sealed, kFuzzNow);
  if (!opened || *opened != bytes) return "sealed bytes do not open to themselves";
  const auto other = channels::im::wecom_signature("other", "1700000000", "n", sealed);
  if (channels::im::wecom_open(keys, {other, "1700000000", "n"}, sealed, kFuzzNow))
    return "another Token's signature checked";
  return "";
}

inline std::string run_provider_answers(std::string_view body) {
  auto batch = channels::im::parse_wecom_sync(body);
  if (!batch && batch.error().code == ErrorCode::kInternal) return "sync: an internal error";
  if (batch)
    for (const auto& m : batch->messages)
      if (auto broken = broken_message(m); !broken.empty()) return "sync: " + broken;
  for (auto kind : {InboundKind::kWecom, InboundKind::kFeishu, InboundKind::kDingtalk}) {
    auto token = channels::im::parse_access_token(kind, 200, body);
    if (!token && token.error().code == ErrorCode::kInternal) return "token: an internal error";
    if (token && token->token.empty()) return "an empty token taken";
  }
  return "";
}

// A Feishu event as it arrives: plain (token only), and sealed and signed with an Encrypt Key.
inline std::string run_feishu(std::string_view body) {
  const channels::im::FeishuKeys plain{"vtoken", ""};
  auto e = channels::im::open_feishu(plain, {}, body, kFuzzNow);
  if (!e) return is_request_error(e.error()) ? "" : "feishu: not a 4xx";
  if (e->kind == channels::im::FeishuEventKind::kMessage) {
    if (auto broken = broken_message(e->message); !broken.empty()) return "feishu: " + broken;
  }
  const channels::im::FeishuKeys sealed_keys{"vtoken", "encrypt-key"};
  const std::string sealed = "{\"encrypt\":\"" +
                             channels::im::feishu_seal("encrypt-key", body, "0123456789abcdef") +
                             "\"}";
  const auto sig = channels::im::feishu_signature("1700000000", "n", "encrypt-key", sealed);
  auto opened = channels::im::open_feishu(sealed_keys, {"1700000000", "n", sig}, sealed, kFuzzNow);
  if (static_cast<bool>(opened) != static_cast<bool>(e) || (opened && opened->kind != e->kind))
    return "feishu: sealed and plain differ";
  const auto forged = channels::im::feishu_signature("1700000000", "m", "encrypt-key", sealed);
  if (channels::im::open_feishu(sealed_keys, {"1700000000", "n", forged}, sealed, kFuzzNow))
    return "feishu: a forged signature checked";
  return "";
}

inline std::string run_dingtalk(std::string_view body) {
  auto m = channels::im::parse_dingtalk_message(body);
  if (!m) return m.error().code == ErrorCode::kInvalidArgument ? "" : "dingtalk: not a 400";
  if (*m)
    if (auto broken = broken_message(**m); !broken.empty()) return "dingtalk: " + broken;
  const auto sign = channels::im::dingtalk_sign("secret", body);
  if (channels::im::check_dingtalk_sign("other", "1700000000000", sign, kFuzzNow))
    return "dingtalk: another secret's sign checked";
  return "";
}

// A media API's answer (the bytes as a body of each content type and status) and a
// Content-Disposition header: an answer is a file, a link, or one of the documented errors;
// a file name is UTF-8, a last path component, at most 255 bytes.
inline std::string run_media(std::string_view bytes) {
  for (auto kind : {InboundKind::kWecom, InboundKind::kFeishu, InboundKind::kDingtalk})
    for (int status : {200, 400, 401, 404, 503})
      for (std::string_view type : {"application/json", "image/png"}) {
        auto a = channels::im::media_answer(kind, status, type, bytes);
        if (!a && a.error().code != ErrorCode::kInvalidArgument &&
            a.error().code != ErrorCode::kNotFound && a.error().code != ErrorCode::kUnavailable &&
            a.error().code != ErrorCode::kUnauthenticated)
          return "media: an undocumented error";
        if (a && *a && !(*a)->starts_with("http")) return "media: a link that is not http(s)";
        if (a && *a && kind != InboundKind::kDingtalk) return "media: a link not from DingTalk";
      }
  if (auto name = channels::im::disposition_filename(bytes)) {
    if (name->empty() || name->size() > 255 || !text::is_valid_utf8(*name) ||
        name->find_first_of("/\\") != std::string::npos)
      return "disposition: a name that is empty, too long, not UTF-8 or a path";
  }
  return "";
}

inline std::string run_im_providers(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return "";
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0:
      return run_wecom_callback(rest);
    case 1:
      return run_wecom_seal(rest);
    case 2:
      return run_provider_answers(rest);
    case 3:
      return run_feishu(rest);
    case 4:
      return run_dingtalk(rest);
    default:
      return run_media(rest);
  }
}

}  // namespace gongdan::fuzz
