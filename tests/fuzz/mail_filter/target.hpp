// Mail's filters as the fuzzer drives them (channels/email/filter): the input is parsed as a
// message and its parts go through the loop guard, the ticket token and quote folding; the same
// bytes also go through quote folding directly, as text and as HTML, so the fuzzer reaches the
// folding code without first having to write valid MIME. Shared by the libFuzzer entry point and
// the unit test that replays the seed corpus.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "channels/email/filter/loop_guard.hpp"
#include "channels/email/filter/quote_folding.hpp"
#include "channels/email/filter/ticket_token.hpp"
#include "channels/email/parse/mime_parser.hpp"
#include "util/text.hpp"

namespace gongdan::fuzz {

// The text without the white space folding may trim or rejoin (spaces, line ends).
inline std::string ink(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\n' && c != '\r') out.push_back(c);
  return out;
}

// "" when folding kept its promise (nothing lost, in order; UTF-8 stays UTF-8), else what broke.
inline std::string broken_fold_promise(std::string_view text) {
  const email::FoldedText folded = email::fold_quotes(text);
  if (ink(folded.body) + ink(folded.signature) + ink(folded.quoted) != ink(text))
    return "fold_quotes lost or reordered text";
  if (text::is_valid_utf8(text) &&
      !(text::is_valid_utf8(folded.body) && text::is_valid_utf8(folded.signature) &&
        text::is_valid_utf8(folded.quoted)))
    return "fold_quotes cut a UTF-8 sequence";
  return {};
}

inline std::string broken_html_fold_promise(std::string_view html) {
  const email::FoldedHtml folded = email::fold_quotes_html(html);
  if (text::is_valid_utf8(html) &&
      !(text::is_valid_utf8(folded.body) && text::is_valid_utf8(folded.quoted)))
    return "fold_quotes_html made invalid UTF-8";
  return {};
}

inline std::string run_mail_filter(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  if (auto broken = broken_fold_promise(raw); !broken.empty()) return broken;
  if (auto broken = broken_html_fold_promise(raw); !broken.empty()) return broken;
  (void)email::find_ticket_token(raw);
  auto parsed = email::parse_message(raw);
  if (!parsed) return {};
  const email::LoopVerdict verdict = email::classify_loop(*parsed);
  if (verdict.may_auto_reply() && !verdict.may_open_ticket())
    return "a message that may not open a ticket may be answered";
  if ((verdict.auto_reply || verdict.bounce || verdict.list) && verdict.reason.empty())
    return "a loop verdict without a reason";
  (void)email::find_ticket_token(parsed->subject);
  if (auto broken = broken_fold_promise(parsed->text_body); !broken.empty()) return broken;
  return broken_html_fold_promise(parsed->html_body);
}

}  // namespace gongdan::fuzz
