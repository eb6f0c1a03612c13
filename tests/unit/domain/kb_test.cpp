#include "domain/kb.hpp"

#include <gtest/gtest.h>

namespace gongdan {
namespace {

TEST(Kb, HelpSettingsAreChecked) {
  HelpSetting s;
  s.languages = {"en", "ZH-cn", "ja-JP"};
  ASSERT_TRUE(check_help_setting(s));
  EXPECT_EQ(s.languages, (std::vector<std::string>{"en", "zh-CN", "ja"}));
  for (auto bad : std::vector<std::vector<std::string>>{{}, {"en", "en-US"}, {"pt"}}) {
    HelpSetting b;
    b.languages = bad;
    auto r = check_help_setting(b);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "languages");
  }
  for (auto colour : {"red", "#12345", "#12345g", "#1234567"}) {
    HelpSetting b;
    b.colour = colour;
    EXPECT_FALSE(check_help_setting(b)) << colour;
  }
  for (auto logo : {"javascript:alert(1)", "/api/v1/attachments/1", "/help-files/1x",
                    "https://x.example/a\"onload=\"b", "//evil.example/logo.png"}) {
    HelpSetting b;
    b.logo_url = logo;
    EXPECT_FALSE(check_help_setting(b)) << logo;
  }
  for (auto logo : {"", "https://cdn.example.com/logo.png", "/help-files/12"}) {
    HelpSetting b;
    b.logo_url = logo;
    EXPECT_TRUE(check_help_setting(b)) << logo;
  }
}

TEST(Kb, StatesMoveForwardOrBackToDraft) {
  EXPECT_TRUE(kb_state_may_move(KbState::kDraft, KbState::kInReview));
  EXPECT_TRUE(kb_state_may_move(KbState::kDraft, KbState::kPublished));
  EXPECT_TRUE(kb_state_may_move(KbState::kInReview, KbState::kPublished));
  EXPECT_TRUE(kb_state_may_move(KbState::kPublished, KbState::kArchived));
  EXPECT_TRUE(kb_state_may_move(KbState::kArchived, KbState::kDraft));
  EXPECT_FALSE(kb_state_may_move(KbState::kDraft, KbState::kArchived));
  EXPECT_FALSE(kb_state_may_move(KbState::kArchived, KbState::kPublished));
  EXPECT_FALSE(kb_state_may_move(KbState::kPublished, KbState::kInReview));
}

TEST(Kb, AgentsOnlyArticlesAreForAgentsOnly) {
  EXPECT_TRUE(kb_visible_to(KbVisibility::kPublic, KbReader::kAnonymous));
  EXPECT_FALSE(kb_visible_to(KbVisibility::kCustomers, KbReader::kAnonymous));
  EXPECT_TRUE(kb_visible_to(KbVisibility::kCustomers, KbReader::kCustomer));
  EXPECT_FALSE(kb_visible_to(KbVisibility::kAgents, KbReader::kCustomer));
  EXPECT_FALSE(kb_visible_to(KbVisibility::kAgents, KbReader::kAnonymous));
  EXPECT_TRUE(kb_visible_to(KbVisibility::kAgents, KbReader::kAgent));
  EXPECT_EQ(kb_visibilities_for(KbReader::kCustomer).size(), 2u);
}

TEST(Kb, LanguagesTakeTheirCanonicalSpelling) {
  EXPECT_EQ(parse_kb_language("zh"), "zh-CN");
  EXPECT_EQ(parse_kb_language("zh-Hans"), "zh-CN");
  EXPECT_EQ(parse_kb_language("EN-us"), "en");
  EXPECT_EQ(parse_kb_language("zh-HK"), "zh-TW");
  EXPECT_EQ(parse_kb_language("zh_Hant_TW"), "zh-TW");
  EXPECT_EQ(parse_kb_language("fr-CA"), "fr");
  EXPECT_EQ(parse_kb_language("ja"), "ja");
  EXPECT_EQ(parse_kb_language("pt-BR"), std::nullopt);
  EXPECT_EQ(parse_kb_language(""), std::nullopt);
  const std::vector<std::string> two = {"zh-CN", "en"};
  EXPECT_EQ(kb_language_among("zh-TW", two), "zh-CN");  // the other Chinese
  EXPECT_EQ(kb_language_among("fr", two), std::nullopt);
  const std::vector<std::string> three = {"en", "zh-TW", "ja"};
  EXPECT_EQ(kb_language_among("zh-CN", three), "zh-TW");
  EXPECT_EQ(kb_language_among("ja-JP", three), "ja");
}

TEST(Kb, AcceptLanguagePicksTheHighestOfOurs) {
  const std::vector<std::string> ours = {"zh-CN", "en"};
  EXPECT_EQ(kb_language_from_accept("zh-CN,zh;q=0.9,en;q=0.8", ours, "en"), "zh-CN");
  EXPECT_EQ(kb_language_from_accept("fr-FR,en;q=0.5,zh;q=0.4", ours, "zh-CN"), "en");
  EXPECT_EQ(kb_language_from_accept("en;q=0.2, zh-TW;q=0.7", ours, "en"), "zh-CN");
  EXPECT_EQ(kb_language_from_accept("fr", ours, "zh-CN"), "zh-CN");
  EXPECT_EQ(kb_language_from_accept("", ours, "en"), "en");
  EXPECT_EQ(kb_language_from_accept(";;,q=,", ours, "en"), "en");
  const std::vector<std::string> more = {"en", "fr", "ja"};
  EXPECT_EQ(kb_language_from_accept("fr-FR,en;q=0.5", more, "en"), "fr");
  EXPECT_EQ(kb_language_from_accept("de,ja;q=0.3", more, "en"), "ja");
}

}  // namespace
}  // namespace gongdan
