#include "domain/kb.hpp"

#include <gtest/gtest.h>

namespace gongdan {
namespace {

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
  EXPECT_EQ(parse_kb_language("fr"), std::nullopt);
  EXPECT_EQ(parse_kb_language(""), std::nullopt);
}

TEST(Kb, AcceptLanguagePicksTheHighestOfOurs) {
  EXPECT_EQ(kb_language_from_accept("zh-CN,zh;q=0.9,en;q=0.8", "en"), "zh-CN");
  EXPECT_EQ(kb_language_from_accept("fr-FR,en;q=0.5,zh;q=0.4", "zh-CN"), "en");
  EXPECT_EQ(kb_language_from_accept("en;q=0.2, zh-TW;q=0.7", "en"), "zh-CN");
  EXPECT_EQ(kb_language_from_accept("fr", "zh-CN"), "zh-CN");
  EXPECT_EQ(kb_language_from_accept("", "en"), "en");
  EXPECT_EQ(kb_language_from_accept(";;,q=,", "en"), "en");
}

}  // namespace
}  // namespace gongdan
