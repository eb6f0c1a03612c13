#include "domain/erasure.hpp"

#include "domain/retention_policy.hpp"

#include <gtest/gtest.h>

namespace gongdan {
namespace {

TEST(Erasure, ScrubsEveryNeedleInAnyAsciiCase) {
  const auto needles = erasure_needles({"Zhao Lei", "zhao@example.com", " +86 138 ", "Li"});
  ASSERT_EQ(needles.size(), 3u);  // "Li" is too short to remove safely
  EXPECT_EQ(needles.front(), "zhao@example.com");
  EXPECT_EQ(scrub("Dear ZHAO LEI, we wrote to Zhao@Example.com and +86 138.", needles, "[x]"),
            "Dear [x], we wrote to [x] and [x].");
  EXPECT_EQ(scrub("nothing here", needles, "[x]"), "nothing here");
}

TEST(Erasure, MarkersSpeakTheContactsLanguage) {
  EXPECT_EQ(erased_word_marker("zh-CN"), "[已删除]");
  EXPECT_EQ(erased_word_marker("en"), "[erased]");
  EXPECT_NE(erased_message_marker("zh-CN"), erased_message_marker("en"));
  EXPECT_EQ(erased_email(7), "erased-7@erased.invalid");
}

TEST(Erasure, ScrubsChineseNames) {
  EXPECT_EQ(scrub("您好，赵磊先生", erasure_needles({"赵磊"}), "[已删除]"), "您好，[已删除]先生");
}

}  // namespace
}  // namespace gongdan

namespace gongdan {
namespace {

TEST(RetentionPolicy, MonthsBeforeCountsCalendarMonths) {
  // 2027-03-31T12:00:00Z, one month back: 2027-02-28 at the same time of day.
  const Millis march31 = 1806494400000;
  EXPECT_EQ(months_before(march31, 1), march31 - 31LL * 86400000);
  EXPECT_EQ(months_before(march31, 12), march31 - 365LL * 86400000);
  EXPECT_EQ(months_before(march31, 0), march31);
}

}  // namespace
}  // namespace gongdan
