// libFuzzer entry point for mail intake's pure parsers: the raw message through parse_message,
// then its HTML through quote folding and the sanitiser, and its text through quote folding.
// The seeds in corpus/ are replayed by tests/unit/channels/fuzz_corpus_replay_test.cpp.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "channels/email/html_sanitizer.hpp"
#include "channels/email/loop_guard.hpp"
#include "channels/email/mime_parser.hpp"
#include "channels/email/quote_folding.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gongdan::email;
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_message(raw);
  if (!parsed) return 0;
  (void)classify_loop(*parsed);
  (void)fold_quotes(parsed->text_body);
  (void)sanitize_html(parsed->html_body);
  FoldedHtml folded = fold_quotes_html(parsed->html_body);
  (void)sanitize_html(folded.body);
  return 0;
}
