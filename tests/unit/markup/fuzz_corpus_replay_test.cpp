// Replays every seed of the sanitiser's fuzz target (tests/fuzz/html_sanitizer/corpus) through the
// same checks as the fuzzer, so the seeds (and every crash, once fixed and added there) run as
// ordinary tests in each build, sanitizers included.
#include <gtest/gtest.h>

#include <filesystem>

#include "fuzz/html_sanitizer/target.hpp"
#include "unit/fixture_file.hpp"

namespace gongdan::markup {
namespace {

namespace fs = std::filesystem;

TEST(HtmlSanitizerFuzzCorpus, EverySeedKeepsThePromises) {
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(GONGDAN_FIXTURES) / ".." / "fuzz" /
                                                  "html_sanitizer" / "corpus")) {
    SCOPED_TRACE(entry.path().string());
    const std::string html = test_support::read_file(entry.path());
    EXPECT_EQ(fuzz::broken_sanitizer_promise(html), "");
    ++count;
  }
  EXPECT_GE(count, 10u);
}

TEST(HtmlSanitizerFuzzCorpus, TheCheckSeesWhatItLooksFor) {
  // The check itself must fail on what it is meant to catch, or the fuzzer proves nothing.
  EXPECT_NE(fuzz::unsafe_markup("<p onclick=\"x()\">a</p>"), "");
  EXPECT_NE(fuzz::unsafe_markup("<a href=\"javascript:x()\">a</a>"), "");
  EXPECT_NE(fuzz::unsafe_markup("<svg><circle></circle></svg>"), "");
  EXPECT_NE(fuzz::unsafe_markup("<p style=\"width: expression(x)\">a</p>"), "");
  EXPECT_NE(fuzz::unsafe_markup("<img src=\"https://tracker.example/p.gif\">"), "");
  EXPECT_EQ(fuzz::unsafe_markup("<img src=\"https://tracker.example/p.gif\">", true), "");
  EXPECT_EQ(fuzz::unsafe_markup("<p>纯文本 <b>粗体</b></p>"), "");
}

}  // namespace
}  // namespace gongdan::markup
