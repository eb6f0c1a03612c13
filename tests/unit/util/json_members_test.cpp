#include "util/json_members.hpp"

#include <gtest/gtest.h>

namespace gongdan {
namespace {

TEST(JsonMembers, ReadsMembersOfTheirType) {
  const JsonMembers m(R"({"id": 42, "lang": "zh-CN"})");
  EXPECT_EQ(m.integer("id"), 42);
  EXPECT_EQ(m.text("lang"), "zh-CN");
  EXPECT_TRUE(m.is_object());
}

TEST(JsonMembers, AMissingOrOtherTypedMemberIsNone) {
  const JsonMembers m(R"({"id": "42", "lang": 7, "n": 1.5})");
  EXPECT_EQ(m.integer("id"), std::nullopt);
  EXPECT_EQ(m.text("lang"), std::nullopt);
  EXPECT_EQ(m.integer("n"), std::nullopt);
  EXPECT_EQ(m.integer("absent"), std::nullopt);
}

TEST(JsonMembers, TextThatIsNoObjectHasNoMembers) {
  for (const char* text : {"", "not json", "[1, 2]", "42", R"({"id": 1)"}) {
    const JsonMembers m(text);
    EXPECT_FALSE(m.is_object()) << text;
    EXPECT_EQ(m.integer("id"), std::nullopt) << text;
    EXPECT_EQ(m.text("id"), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace gongdan
