// Replays every seed of the MIME fuzz target (tests/fuzz/mime/corpus) and every email fixture
// through the same steps as the fuzzer, so the seeds run as ordinary tests under ASan/UBSan too.
#include <gtest/gtest.h>

#include <filesystem>

#include "channels/email/html_sanitizer.hpp"
#include "channels/email/loop_guard.hpp"
#include "channels/email/mime_parser.hpp"
#include "channels/email/quote_folding.hpp"
#include "fixture_file.hpp"
#include "util/text.hpp"

namespace gongdan::email {
namespace {

namespace fs = std::filesystem;

void replay(const std::string& raw) {
  auto parsed = parse_message(raw);
  if (!parsed) {
    EXPECT_FALSE(parsed.error().message.empty());
    return;
  }
  EXPECT_TRUE(text::is_valid_utf8(parsed->subject));
  EXPECT_TRUE(text::is_valid_utf8(parsed->text_body));
  EXPECT_TRUE(text::is_valid_utf8(parsed->html_body));
  (void)classify_loop(*parsed);
  (void)fold_quotes(parsed->text_body);
  EXPECT_TRUE(text::is_valid_utf8(sanitize_html(parsed->html_body)));
  FoldedHtml folded = fold_quotes_html(parsed->html_body);
  (void)sanitize_html(folded.body);
}

std::size_t replay_folder(const fs::path& folder) {
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".eml") continue;
    SCOPED_TRACE(entry.path().string());
    replay(test_support::read_file(entry.path()));
    ++count;
  }
  return count;
}

TEST(FuzzCorpusReplay, MimeSeeds) {
  EXPECT_GE(replay_folder(fs::path(GONGDAN_FIXTURES) / ".." / "fuzz" / "mime" / "corpus"), 5u);
}

TEST(FuzzCorpusReplay, EmailFixtures) {
  EXPECT_GE(replay_folder(fs::path(GONGDAN_FIXTURES) / "emails"), 20u);
}

}  // namespace
}  // namespace gongdan::email
