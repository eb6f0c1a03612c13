#include "domain/triage.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fuzz/triage_text/target.hpp"

namespace gongdan {
namespace {

TEST(TriageText, SplitsCjkIntoCharactersAndLowersLatinWords) {
  EXPECT_EQ(triage_text("打印机 Offline", "VPN 连接失败!"), "打 印 机 offline vpn 连 接 失 败");
}

TEST(TriageText, LeavesOutNumbersAndPunctuation) {
  EXPECT_EQ(triage_text("Order #12345 late", "（退款）, re: x2"), "order late 退 款 re x2");
}

TEST(TriageText, ReadsAtMostMaxBytesOfTheBody) {
  EXPECT_EQ(triage_text("a", "bb cc dd", 5), "a bb cc");
}

TEST(TriageText, MalformedUtf8IsASeparator) {
  EXPECT_EQ(triage_text("ab\xff"
                        "cd",
                        "\xe6\x89"),
            "ab cd");
}

TEST(TriageFields, NamesRoundTrip) {
  for (auto f : kTriageFields) EXPECT_EQ(parse_triage_field(triage_field_name(f)), f);
  EXPECT_FALSE(parse_triage_field("assignee"));
}

TEST(HeldOut, AboutOneInTenAndStable) {
  int held = 0;
  for (std::int64_t id = 1; id <= 10000; ++id) held += held_out(id);
  EXPECT_GT(held, 800);
  EXPECT_LT(held, 1200);
  EXPECT_EQ(held_out(77), held_out(77));
}

TEST(Evaluate, AccuracyCoverageAndConfusion) {
  const std::vector<HeldOutPrediction> p = {
      {"1", "1", 0.95}, {"1", "1", 0.80}, {"2", "1", 0.60}, {"2", "2", 0.99}};
  const auto e = evaluate(p, 36);
  EXPECT_EQ(e.examples, 36);
  EXPECT_EQ(e.held_out, 4);
  EXPECT_DOUBLE_EQ(e.accuracy(), 0.75);
  EXPECT_DOUBLE_EQ(e.coverage_at(90), 0.5);
  EXPECT_DOUBLE_EQ(e.accuracy_at(90), 1.0);
  EXPECT_DOUBLE_EQ(e.coverage_at(50), 1.0);
  EXPECT_DOUBLE_EQ(e.accuracy_at(50), 0.75);
  EXPECT_DOUBLE_EQ(e.coverage_at(100), 0.0);
  EXPECT_EQ((e.confusion.at({"2", "1"})), 1);
  EXPECT_EQ((e.confusion.at({"1", "1"})), 2);
}

TEST(Evaluate, RareLabelsFoldIntoOther) {
  const std::vector<HeldOutPrediction> p = {
      {"a", "a", 1}, {"a", "a", 1}, {"b", "b", 1}, {"c", "a", 0.5}};
  const auto e = evaluate(p, 10, 2);
  EXPECT_EQ((e.confusion.at({"other", "a"})), 1);
  EXPECT_EQ(e.confusion.count({"c", "a"}), 0u);
}

TEST(TriageText, FuzzCorpusKeepsItsPromises) {
  const std::filesystem::path corpus =
      std::filesystem::path(GONGDAN_FIXTURES).parent_path() / "fuzz" / "triage_text" / "corpus";
  int seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    EXPECT_EQ(fuzz::broken_triage_text_promise(bytes.str()), "") << entry.path();
    ++seeds;
  }
  EXPECT_GE(seeds, 4);
}

}  // namespace
}  // namespace gongdan
