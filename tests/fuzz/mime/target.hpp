// The MIME parser as the fuzzer drives it: raw bytes through parse_message, then the promises of
// parsed_message.hpp checked on what comes out. Shared by the libFuzzer entry point and the unit
// test that replays the seed corpus (tests/unit/channels/email/fuzz_corpus_replay_test.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "channels/email/parse/mime_parser.hpp"
#include "util/text.hpp"

namespace gongdan::fuzz {

// Valid UTF-8 and no control character but tab: nothing that could start a header line.
inline bool is_header_safe(std::string_view s) {
  if (!text::is_valid_utf8(s)) return false;
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\t') || c == 0x7F) return false;
  return true;
}

// "" when every promise holds, else the first one broken.
inline std::string broken_mime_promise(const email::ParsedMessage& m) {
  const auto address_ok = [](const email::Address& a) {
    return is_header_safe(a.name) && is_header_safe(a.email);
  };
  for (std::string_view s : {std::string_view(m.message_id), std::string_view(m.in_reply_to),
                             std::string_view(m.subject)})
    if (!is_header_safe(s)) return "a header field with a control character: " + std::string(s);
  for (const auto& id : m.references)
    if (!is_header_safe(id)) return "a reference with a control character";
  for (const auto* from : {&m.from, &m.sender})
    if (*from && !address_ok(**from)) return "a From/Sender address with a control character";
  for (const auto* list : {&m.reply_to, &m.to, &m.cc})
    for (const auto& a : *list)
      if (!address_ok(a)) return "an address with a control character";
  for (const auto& h : m.helpdesk_headers)
    if (!is_header_safe(h.name) || !is_header_safe(h.value)) return "a help-desk header";
  for (const auto& a : m.attachments) {
    if (a.filename.empty() || !is_header_safe(a.filename)) return "an attachment filename";
    if (!is_header_safe(a.content_type) || !is_header_safe(a.content_id))
      return "an attachment's type or Content-ID";
  }
  if (!text::is_valid_utf8(m.text_body) || !text::is_valid_utf8(m.html_body))
    return "a body that is not UTF-8";
  return {};
}

inline std::string run_mime(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto parsed = email::parse_message(raw);
  if (!parsed) return parsed.error().message.empty() ? "a refusal without a reason" : "";
  return broken_mime_promise(*parsed);
}

}  // namespace gongdan::fuzz
