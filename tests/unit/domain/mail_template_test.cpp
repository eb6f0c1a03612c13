#include "domain/mail_template.hpp"

#include <gtest/gtest.h>

namespace gongdan {
namespace {

namespace json = boost::json;

MailTemplate with_variants(std::string_view variants) {
  MailTemplate t;
  t.variants = json::parse(variants);
  return t;
}

TEST(MailVariants, AreCheckedAndCleaned) {
  auto read = read_mail_variants(json::parse(
      R"([{"language": "zh-CN", "subject": "收到 #{{ticket.number}}", "body": "您好"}])"));
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->size(), 1u);
  EXPECT_EQ(read->at(0).at("language"), "zh-CN");
}

TEST(MailVariants, ErrorsNameThePart) {
  const auto field = [](std::string_view text) {
    auto read = read_mail_variants(json::parse(text));
    return read ? std::string("ok") : read.error().field;
  };
  EXPECT_EQ(field("[]"), "variants");
  EXPECT_EQ(field(R"({"language": "en"})"), "variants");
  EXPECT_EQ(field(R"([{"language": "english", "subject": "s", "body": "b"}])"),
            "variants[0].language");
  EXPECT_EQ(field(R"([{"language": "en", "subject": "a\nb", "body": "b"}])"),
            "variants[0].subject");
  EXPECT_EQ(field(R"([{"language": "en", "subject": "s", "body": "b"},
                      {"language": "en", "subject": "s", "body": "b"}])"),
            "variants[1].language");
  EXPECT_EQ(field(R"([{"language": "en", "subject": "s", "body": "b", "cc": "x"}])"),
            "variants[0].cc");
  EXPECT_EQ(field(R"([{"language": "en", "subject": "{{ticket.number", "body": "b"}])"),
            "variants[0].subject");
}

TEST(MailVariants, PickTheLanguageThenItsPrimaryThenTheFirst) {
  const auto t = with_variants(
      R"([{"language": "en", "subject": "Hello", "body": "b"},
          {"language": "zh", "subject": "你好", "body": "b"}])");
  EXPECT_EQ(pick_variant(t, "zh")->subject, "你好");
  EXPECT_EQ(pick_variant(t, "zh-CN")->subject, "你好");
  EXPECT_EQ(pick_variant(t, "fr")->subject, "Hello");
  EXPECT_FALSE(pick_variant(with_variants("[]"), "en"));
}

}  // namespace
}  // namespace gongdan
