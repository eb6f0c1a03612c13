#include "domain/text_diff.hpp"

#include <gtest/gtest.h>

namespace gongdan {
namespace {

std::string side(const std::vector<DiffPiece>& pieces, DiffOp skipped) {
  std::string out;
  for (const auto& p : pieces)
    if (p.op != skipped) out += p.text;
  return out;
}

TEST(TextDiff, LinesAddedAndRemoved) {
  auto d = text_diff("one\ntwo\nthree\n", "one\n2\nthree\nfour\n", DiffUnit::kLine);
  std::vector<DiffPiece> want = {{DiffOp::kSame, "one\n"},
                                 {DiffOp::kRemoved, "two\n"},
                                 {DiffOp::kAdded, "2\n"},
                                 {DiffOp::kSame, "three\n"},
                                 {DiffOp::kAdded, "four\n"}};
  EXPECT_EQ(d, want);
}

TEST(TextDiff, ChineseWordsAreCharacters) {
  auto d = text_diff("打印机无法连接", "打印机可以连接", DiffUnit::kWord);
  std::vector<DiffPiece> want = {{DiffOp::kSame, "打印机"},
                                 {DiffOp::kRemoved, "无法"},
                                 {DiffOp::kAdded, "可以"},
                                 {DiffOp::kSame, "连接"}};
  EXPECT_EQ(d, want);
  auto w = text_diff("Open the client now", "Open the VPN client", DiffUnit::kWord);
  EXPECT_EQ(side(w, DiffOp::kAdded), "Open the client now");
  EXPECT_EQ(side(w, DiffOp::kRemoved), "Open the VPN client");
}

TEST(TextDiff, EmptySidesAndEqualTexts) {
  EXPECT_TRUE(text_diff("", "", DiffUnit::kLine).empty());
  EXPECT_EQ(text_diff("", "a\nb", DiffUnit::kLine),
            (std::vector<DiffPiece>{{DiffOp::kAdded, "a\nb"}}));
  EXPECT_EQ(text_diff("same", "same", DiffUnit::kWord),
            (std::vector<DiffPiece>{{DiffOp::kSame, "same"}}));
}

TEST(TextDiff, ManyEditsFallBackToOneRemovalAndOneAddition) {
  std::string a, b;
  for (int i = 0; i < 3000; ++i)
    a += "a" + std::to_string(i) + "\n", b += "b" + std::to_string(i) + "\n";
  auto d = text_diff("top\n" + a + "end\n", "top\n" + b + "end\n", DiffUnit::kLine);
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[1].op, DiffOp::kRemoved);
  EXPECT_EQ(d[2].op, DiffOp::kAdded);
  EXPECT_EQ(d[3].text, "end\n");
}

TEST(TextDiff, BothSidesRebuildFromThePieces) {
  const std::string a = "x\ny\nz\nq\nx\ny\n", b = "y\nx\nq\nz\nx\n";
  auto d = text_diff(a, b, DiffUnit::kLine);
  EXPECT_EQ(side(d, DiffOp::kAdded), a);
  EXPECT_EQ(side(d, DiffOp::kRemoved), b);
}

}  // namespace
}  // namespace gongdan
