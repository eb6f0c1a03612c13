// Replays every seed of mail's fuzz targets (tests/fuzz/mime and tests/fuzz/mail_filter) and every
// email fixture through the same checks as the fuzzers, so the seeds run as ordinary tests under
// ASan/UBSan too. The fixtures' HTML bodies also go through the sanitiser's checks: mail is what
// the sanitiser mostly sees.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "channels/email/parse/mime_parser.hpp"
#include "fuzz/html_sanitizer/target.hpp"
#include "fuzz/mail_filter/target.hpp"
#include "fuzz/mime/target.hpp"
#include "unit/fixture_file.hpp"

namespace gongdan::email {
namespace {

namespace fs = std::filesystem;

using Check = std::function<std::string(const std::string&)>;

std::string bytes_check(std::string (*run)(const std::uint8_t*, std::size_t),
                        const std::string& input) {
  return run(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

std::size_t replay_folder(const fs::path& folder, const Check& check,
                          std::string_view only_extension = {}) {
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    if (!only_extension.empty() && entry.path().extension() != only_extension) continue;
    SCOPED_TRACE(entry.path().string());
    EXPECT_EQ(check(test_support::read_file(entry.path())), "");
    ++count;
  }
  return count;
}

const fs::path kFuzz = fs::path(GONGDAN_FIXTURES) / ".." / "fuzz";

TEST(FuzzCorpusReplay, MimeSeeds) {
  EXPECT_GE(replay_folder(kFuzz / "mime" / "corpus",
                          [](const std::string& in) { return bytes_check(fuzz::run_mime, in); }),
            5u);
}

TEST(FuzzCorpusReplay, MailFilterSeeds) {
  EXPECT_GE(
      replay_folder(kFuzz / "mail_filter" / "corpus",
                    [](const std::string& in) { return bytes_check(fuzz::run_mail_filter, in); }),
      8u);
}

TEST(FuzzCorpusReplay, EmailFixtures) {
  const auto every_check = [](const std::string& raw) {
    for (auto run : {fuzz::run_mime, fuzz::run_mail_filter})
      if (auto broken = bytes_check(run, raw); !broken.empty()) return broken;
    auto parsed = parse_message(raw);
    return parsed ? fuzz::broken_sanitizer_promise(parsed->html_body) : std::string();
  };
  EXPECT_GE(replay_folder(fs::path(GONGDAN_FIXTURES) / "emails", every_check, ".eml"), 20u);
}

TEST(FuzzCorpusReplay, TheChecksSeeWhatTheyLookFor) {
  ParsedMessage injected;
  injected.subject = "Hello\r\nBcc: victim@example.com";
  EXPECT_NE(fuzz::broken_mime_promise(injected), "");
  EXPECT_EQ(fuzz::broken_mime_promise(ParsedMessage{}), "");
  EXPECT_EQ(fuzz::ink("a b\r\nc"), "abc");
}

}  // namespace
}  // namespace gongdan::email
