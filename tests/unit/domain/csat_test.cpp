#include "domain/csat.hpp"

#include <gtest/gtest.h>

#include "domain/report_rollup.hpp"

namespace gongdan {
namespace {

TEST(Csat, TokenRoundTripsAndRefusesAnythingElse) {
  const CsatToken token{42, 1'800'000'000'000, std::string(32, 'a')};
  const auto text = csat_token_text(token);
  EXPECT_EQ(text, "42.1800000000000." + std::string(32, 'a'));
  const auto back = parse_csat_token(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->request_id, 42);
  EXPECT_EQ(back->expires_at, 1'800'000'000'000);
  EXPECT_EQ(back->mac, token.mac);
  for (std::string_view bad :
       {"", "..", "42", "42.1", "42.1.",
        "0.1."
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "-4.1.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "4.-1.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "4.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "4.1.aaaa", "4.1.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "4x.1.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "99999999999999999999.1.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "4.1.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."})
    EXPECT_FALSE(parse_csat_token(bad)) << bad;
}

TEST(Csat, TheMacCoversTheTicket) {
  EXPECT_NE(csat_signed_text(1, 2, 3), csat_signed_text(1, 3, 3));
  EXPECT_NE(csat_signed_text(1, 2, 3), csat_signed_text(2, 2, 3));
  EXPECT_NE(csat_signed_text(12, 3, 4), csat_signed_text(1, 23, 4));
}

TEST(Csat, ChoicesAndWhatCountsAsSatisfied) {
  EXPECT_EQ(csat_choices("good_bad"), (std::vector<std::string>{"bad", "good"}));
  EXPECT_EQ(csat_choices("five").size(), 5u);
  EXPECT_TRUE(is_csat_choice("five", "3"));
  EXPECT_FALSE(is_csat_choice("five", "good"));
  EXPECT_FALSE(is_csat_choice("good_bad", "5"));
  EXPECT_TRUE(is_positive_rating("good"));
  EXPECT_TRUE(is_positive_rating("4"));
  EXPECT_FALSE(is_positive_rating("3"));
  EXPECT_FALSE(is_positive_rating("bad"));
}

TEST(Csat, ADepartmentsOwnSurveyDecidesForIt) {
  CsatSurvey all;
  all.id = 1;
  CsatSurvey off;
  off.id = 2;
  off.department_id = 7;
  off.active = false;
  CsatSurvey mail_only;
  mail_only.id = 3;
  mail_only.department_id = 8;
  mail_only.channels = {"email"};
  const std::vector<CsatSurvey> surveys{all, off, mail_only};
  EXPECT_EQ(survey_for(surveys, std::nullopt, "api")->id, 1);
  EXPECT_EQ(survey_for(surveys, 9, "api")->id, 1);
  EXPECT_EQ(survey_for(surveys, 7, "api"), nullptr);
  EXPECT_EQ(survey_for(surveys, 8, "api"), nullptr);
  EXPECT_EQ(survey_for(surveys, 8, "email")->id, 3);
  EXPECT_EQ(survey_for({}, 8, "email"), nullptr);
}

TEST(Csat, RatingsRollUpAndReplay) {
  ReportState s;
  s.department_id = 3;
  RollupDeltas live;
  rollup_csat_sent(s, 10 * kMillisPerHour, live);
  rollup_csat_rated(s, "5", 11 * kMillisPerHour, live);
  EXPECT_EQ(live[total_key("csat_sent", 10, -1)], 1);
  EXPECT_EQ(live[total_key("csat_rated", 11, 3)], 1);
  EXPECT_EQ(live[total_key("csat_positive", 11, -1)], 1);

  Ticket t;
  t.id = 1;
  t.department_id = 3;
  t.category = StatusCategory::kSolved;
  std::vector<TicketEvent> history(2);
  history[0].field = "csat_sent";
  history[0].at = 10 * kMillisPerHour;
  history[1].field = "csat";
  history[1].at = 11 * kMillisPerHour;
  history[1].new_value = "bad";
  RollupDeltas replayed;
  replay_rollups(t, history,
                 {[](std::string_view) { return std::optional(StatusCategory::kSolved); },
                  [](std::int64_t) { return false; }},
                 replayed);
  EXPECT_EQ(replayed[total_key("csat_sent", 10, -1)], 1);
  EXPECT_EQ(replayed[total_key("csat_rated", 11, 3)], 1);
  EXPECT_EQ(replayed.count(total_key("csat_positive", 11, -1)), 0u);
}

}  // namespace
}  // namespace gongdan
