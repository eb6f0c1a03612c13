#include "domain/report_rollup.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "domain/report_period.hpp"

namespace gongdan {
namespace {

constexpr Millis kHour = kMillisPerHour;

ReportState open_ticket() {
  ReportState s;
  s.created_at = 10 * kHour;
  s.department_id = 3;
  s.assignee_id = 7;
  s.channel = "email";
  return s;
}

// The sum over the hourly rows with every dimension (each change also adds to two total rows,
// and the backlog to its running counts).
std::int64_t sum(const RollupDeltas& d, std::string_view metric) {
  std::int64_t n = 0;
  for (const auto& [key, value] : d) {
    const auto k = parse_rollup_key(key);
    if (k->metric == metric && !k->daily && k->agent_id != kAnyDimension) n += value;
  }
  return n;
}

TEST(ReportRollup, EachChangeAddsToItsDepartmentAndTheGrandTotal) {
  RollupDeltas d;
  rollup_created(open_ticket(), 10 * kHour, d);
  EXPECT_EQ(d[total_key("created", 10, 3)], 1);
  EXPECT_EQ(d[total_key("created", 10, kAnyDimension)], 1);
  const auto total = parse_rollup_key(total_key("created", 10, 3));
  ASSERT_TRUE(total);
  EXPECT_EQ(total->agent_id, kAnyDimension);
  EXPECT_EQ(total->priority, kAnyDimension);
  EXPECT_EQ(total->type, "*");
}

TEST(ReportRollup, KeysRoundTrip) {
  const auto key = rollup_key("solved", 492'000, open_ticket());
  const auto parsed = parse_rollup_key(key);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->metric, "solved");
  EXPECT_EQ(parsed->hour, 492'000);
  EXPECT_EQ(parsed->department_id, 3);
  EXPECT_EQ(parsed->agent_id, 7);
  EXPECT_EQ(parsed->type, "question");
  EXPECT_EQ(parsed->channel, "email");
  EXPECT_FALSE(parse_rollup_key("open:3"));
  EXPECT_FALSE(parse_rollup_key("r|solved|x|3|7|1|question|email"));
}

TEST(ReportRollup, SolveReopenAndReassignMoveTheBacklog) {
  RollupDeltas d;
  auto s = open_ticket();
  rollup_created(s, s.created_at, d);
  EXPECT_EQ(sum(d, "created"), 1);
  EXPECT_EQ(sum(d, "backlog"), 1);
  auto next = s;
  next.assignee_id = 8;
  rollup_change(s, next, 11 * kHour, d);
  EXPECT_EQ(sum(d, "backlog"), 1);
  EXPECT_EQ(d[rollup_key("backlog", 10, next)], 1);
  next.unsolved = false;
  rollup_change(s, next, 12 * kHour, d);
  EXPECT_EQ(sum(d, "solved"), 1);
  EXPECT_EQ(sum(d, "resolution_ms"), 2 * kHour);
  EXPECT_EQ(sum(d, "backlog"), 0);
  next.unsolved = true;
  rollup_change(s, next, 13 * kHour, d);
  EXPECT_EQ(sum(d, "reopened"), 1);
  EXPECT_EQ(sum(d, "backlog"), 1);
}

TEST(ReportRollup, OnlyTheFirstAgentReplyIsTheFirstResponse) {
  RollupDeltas d;
  auto s = open_ticket();
  rollup_agent_reply(s, 9, s.created_at + kHour / 2, d);
  rollup_agent_reply(s, 9, s.created_at + kHour, d);
  EXPECT_EQ(sum(d, "replies"), 2);
  EXPECT_EQ(sum(d, "first_response"), 1);
  EXPECT_EQ(sum(d, "first_response_ms"), kHour / 2);
  // The first response is the assignee's; the reply is its author's.
  EXPECT_EQ(d[rollup_key("first_response", 10, s)], 1);
  EXPECT_EQ(d[rollup_key("replies", 10, s, 9)], 1);
}

TEST(ReportRollup, SlaOutcomesCountPerTargetAndTogether) {
  RollupDeltas d;
  const auto s = open_ticket();
  EXPECT_TRUE(rollup_sla(s, "first_response", true, 11 * kHour, d));
  EXPECT_TRUE(rollup_sla(s, "resolution", false, 12 * kHour, d));
  EXPECT_FALSE(rollup_sla(s, "lunch", true, 12 * kHour, d));
  EXPECT_EQ(sum(d, "sla"), 2);
  EXPECT_EQ(sum(d, "sla_met"), 1);
  EXPECT_EQ(sum(d, "sla_first_response"), 1);
  EXPECT_EQ(sum(d, "sla_first_response_met"), 1);
  EXPECT_EQ(sum(d, "sla_resolution"), 1);
  EXPECT_EQ(sum(d, "sla_resolution_met"), 0);

  // A replay reads them from the history's sla_met and sla_breach entries.
  Ticket t;
  t.id = 1;
  t.created_at = s.created_at;
  t.department_id = 3;
  t.assignee_id = 7;
  t.channel = "email";
  std::vector<TicketEvent> history = {
      {1, 1, 10 * kHour, 1, "api", "created", std::nullopt, "#1"},
      {2, 1, 11 * kHour, std::nullopt, "sla", "sla_met", std::nullopt, "first_response"},
      {3, 1, 12 * kHour, std::nullopt, "sla", "sla_breach", std::nullopt, "resolution"},
      {4, 1, 12 * kHour, std::nullopt, "sla", "sla_warning", std::nullopt, "resolution"},
  };
  ReplayLookups lookups{[](std::string_view) { return std::optional(StatusCategory::kOpen); },
                        [](std::int64_t) { return false; }};
  RollupDeltas replayed;
  replay_rollups(t, history, lookups, replayed);
  for (const auto& [key, n] : d) EXPECT_EQ(replayed[key], n) << key;
}

// The sum over an extra dimension's counters of one value.
std::int64_t sum_of(const RollupDeltas& d, std::string_view metric, std::string_view dimension,
                    std::string_view value) {
  std::int64_t n = 0;
  for (const auto& [key, v] : d) {
    const auto k = parse_rollup_key(key);
    if (k->metric == metric && !k->daily && k->dimension == dimension && k->value == value) n += v;
  }
  return n;
}

TEST(ReportRollup, TagsOrganizationAndSelectFieldsAreDimensions) {
  Ticket t;
  t.id = 1;
  t.created_at = 10 * kHour;
  t.department_id = 3;
  t.organization_id = 5;
  t.tags = {"vip", "billing"};
  t.custom_fields = R"({"region":"north","plan":["a","b"],"note":"free text"})";
  const std::vector<std::string> select = {"plan", "region"};
  const auto s = report_state_of(t, select);
  EXPECT_EQ(s.tags, (std::vector<std::string>{"billing", "vip"}));
  EXPECT_EQ(s.fields.size(), 3u);  // plan a, plan b, region north; the text field is not one
  RollupDeltas d;
  rollup_created(s, t.created_at, d);
  EXPECT_EQ(sum_of(d, "created", "tag", "vip"), 1);
  EXPECT_EQ(sum_of(d, "created", "organization", "5"), 1);
  EXPECT_EQ(sum_of(d, "created", "field:region", "north"), 1);
  EXPECT_EQ(sum_of(d, "created", "field:plan", "b"), 1);
  EXPECT_EQ(sum_of(d, "created", "field:note", "free text"), 0);
  const auto key = parse_rollup_key(dimension_key("created", 10, 3, 0, "field:x", "a|b"));
  ASSERT_TRUE(key);
  EXPECT_EQ(key->value, "a|b");

  // A tag removed moves the open ticket out of that tag's backlog; a replay of the history
  // adds the same.
  auto live_state = s;
  auto next = s;
  next.tags = {"billing"};
  rollup_change(live_state, next, 11 * kHour, d);
  EXPECT_EQ(sum_of(d, "backlog", "tag", "vip"), 0);
  EXPECT_EQ(sum_of(d, "backlog", "tag", "billing"), 1);
  Ticket now = t;
  now.tags = {"billing"};
  std::vector<TicketEvent> history = {
      {1, 1, 10 * kHour, 1, "api", "created", std::nullopt, "#1"},
      {2, 1, 11 * kHour, 1, "web", "tags", "billing vip", "billing"},
  };
  ReplayLookups lookups{[](std::string_view) { return std::optional(StatusCategory::kOpen); },
                        [](std::int64_t) { return false; }, select};
  RollupDeltas replayed;
  replay_rollups(now, history, lookups, replayed);
  std::erase_if(d, [](const auto& kv) { return kv.second == 0; });
  std::erase_if(replayed, [](const auto& kv) { return kv.second == 0; });
  EXPECT_EQ(replayed, d);
}

TEST(ReportRollup, AReplayOfTheHistoryAddsWhatTheLiveChangesAdded) {
  Ticket t;
  t.id = 1;
  t.created_at = 10 * kHour;
  t.channel = "web";
  t.category = StatusCategory::kSolved;
  t.assignee_id = 8;
  std::vector<TicketEvent> history = {
      {1, 1, 10 * kHour, 1, "api", "created", std::nullopt, "#1"},
      {2, 1, 10 * kHour, std::nullopt, "assignment", "assignee", std::nullopt, "7"},
      {3, 1, 10 * kHour, std::nullopt, "assignment", "assignment", std::nullopt, "round robin"},
      {4, 1, 11 * kHour, 7, "web", "message", std::nullopt, "10"},
      {5, 1, 11 * kHour, 7, "web", "status", "New", "Open"},
      {6, 1, 12 * kHour, 1, "web", "status", "Open", "Solved"},
      {7, 1, 12 * kHour, 1, "web", "assignee", "7", "8"},
  };
  ReplayLookups lookups{[](std::string_view name) -> std::optional<StatusCategory> {
                          if (name == "New") return StatusCategory::kNew;
                          if (name == "Open") return StatusCategory::kOpen;
                          if (name == "Solved") return StatusCategory::kSolved;
                          return std::nullopt;
                        },
                        [](std::int64_t id) { return id == 7 || id == 1; }};
  RollupDeltas replayed;
  replay_rollups(t, history, lookups, replayed);

  RollupDeltas live;
  Ticket before = t;
  before.category = StatusCategory::kNew;
  before.assignee_id = 7;
  rollup_created(report_state_of(before, {}), 10 * kHour, live);
  auto s = report_state_of(before, {});
  rollup_agent_reply(s, 7, 11 * kHour, live);
  auto opened = s;
  rollup_change(s, opened, 11 * kHour, live);
  auto solved = s;
  solved.unsolved = false;
  solved.assignee_id = 8;
  rollup_change(s, solved, 12 * kHour, live);
  std::erase_if(live, [](const auto& kv) { return kv.second == 0; });
  std::erase_if(replayed, [](const auto& kv) { return kv.second == 0; });
  EXPECT_EQ(replayed, live);
  // Solved and reassigned in one change: the solve is the old assignee's (the history's order).
  EXPECT_EQ(parse_rollup_key(rollup_key("solved", 12, s))->agent_id, 8);
  EXPECT_EQ(live[rollup_key("solved", 12, report_state_of(before, {}))], 1);
}

TEST(ReportPeriod, LocalDaysAndHalfHourZones) {
  auto shanghai = ReportZone::create("Asia/Shanghai");
  ASSERT_TRUE(shanghai);
  const auto start = shanghai->start_of_day("2026-01-06", "from");
  ASSERT_TRUE(start);
  EXPECT_EQ(*start % kHour, 0);
  EXPECT_EQ(shanghai->label(*start / kHour, ReportStep::kDay), "2026-01-06");
  EXPECT_EQ(shanghai->label(*start / kHour - 1, ReportStep::kDay), "2026-01-05");
  EXPECT_EQ(shanghai->label(*start / kHour, ReportStep::kWeek), "2026-01-05");
  EXPECT_EQ(shanghai->label(*start / kHour, ReportStep::kMonth), "2026-01");
  EXPECT_TRUE(shanghai->whole_hours_at(*start));
  auto kolkata = ReportZone::create("Asia/Kolkata");
  ASSERT_TRUE(kolkata);
  const auto midnight = kolkata->start_of_day("2026-01-06", "from");
  ASSERT_TRUE(midnight);
  EXPECT_FALSE(kolkata->whole_hours_at(*midnight));
  EXPECT_EQ(hour_at_or_after(*midnight) * kHour - *midnight, kHour / 2);
  EXPECT_FALSE(ReportZone::create("Mars/Base"));
  EXPECT_FALSE(shanghai->start_of_day("2026-02-30", "from"));
  EXPECT_FALSE(shanghai->start_of_day("2026-1-6", "from"));
}

// The running (daily-keyed) counters of one dimension, by day and value.
std::map<std::pair<std::int64_t, std::string>, std::int64_t> daily(const RollupDeltas& d,
                                                                   std::string_view metric,
                                                                   std::string_view dimension) {
  std::map<std::pair<std::int64_t, std::string>, std::int64_t> out;
  for (const auto& [key, v] : d) {
    const auto k = parse_rollup_key(key);
    if (k->daily && k->metric == metric && k->dimension == dimension) out[{k->hour, k->value}] += v;
  }
  return out;
}

TEST(ReportRollup, DaysStartAtMidnightInChina) {
  // 2026-12-06T16:00Z is 2026-12-07 00:00 in UTC+8.
  const std::int64_t midnight = 1'796'572'800'000 / kHour;
  ASSERT_EQ(midnight % 24, kDayStartHour);
  EXPECT_EQ(day_of_hour(midnight), midnight);
  EXPECT_EQ(day_of_hour(midnight + 23), midnight);
  EXPECT_EQ(day_of_hour(midnight + 24), midnight + 24);
  EXPECT_EQ(day_of_hour(midnight - 1), midnight - 24);
  EXPECT_EQ(day_of_hour(3), -8);  // before the first whole day since the epoch
}

TEST(ReportRollup, DailyKeysRoundTrip) {
  const auto k = parse_rollup_key(daily_key("created", 472, 3, "field:x", "a|b"));
  ASSERT_TRUE(k);
  EXPECT_TRUE(k->daily);
  EXPECT_EQ(k->metric, "created");
  EXPECT_EQ(k->hour, 472);
  EXPECT_EQ(k->department_id, 3);
  EXPECT_EQ(k->dimension, "field:x");
  EXPECT_EQ(k->value, "a|b");
  const auto total = parse_rollup_key(daily_key("created", kAllTime, 0, "", ""));
  ASSERT_TRUE(total);
  EXPECT_EQ(total->hour, kAllTime);
  EXPECT_EQ(total->dimension, "");
  EXPECT_FALSE(parse_rollup_key("s|created|x|3||"));
  EXPECT_FALSE(parse_rollup_key("s|created|472|3"));
}

// A write adds to its hour only; the backlog adds to one running count per dimension as well.
// Days and months are folded from the hours by a job (store/report_folds), for the metrics
// folded_metrics() names: every one the hours keep but the backlog.
TEST(ReportRollup, OnlyTheBacklogKeepsRunningCountsBesideTheHours) {
  auto s = open_ticket();
  s.tags = {"vip"};
  s.organization_id = 5;
  RollupDeltas d;
  const Millis at = 40 * kHour + 5;
  rollup_created(s, at, d);
  rollup_agent_reply(s, 9, at + kHour, d);
  auto next = s;
  next.priority = Priority::kUrgent;
  next.assignee_id = 9;
  rollup_change(s, next, 70 * kHour, d);
  next.unsolved = false;
  rollup_change(s, next, 71 * kHour, d);
  rollup_csat_sent(s, 72 * kHour, d);
  rollup_csat_rated(s, "good", 73 * kHour, d);
  rollup_sla(s, "first_response", true, 74 * kHour, d);
  rollup_sla(s, "next_response", false, 74 * kHour, d);
  rollup_sla(s, "next_response", true, 74 * kHour, d);
  rollup_sla(s, "resolution", true, 74 * kHour, d);
  rollup_kb_deflection(75 * kHour, d);
  rollup_handle_time(s, 9, 60'000, 75 * kHour, d);
  // A reopen, apart (the backlog below is checked back at zero).
  RollupDeltas reopen;
  auto again = s, reopened = s;
  reopened.unsolved = true;
  rollup_change(again, reopened, 76 * kHour, reopen);
  const auto& folded = folded_metrics();
  std::set<std::string> hourly;
  for (const auto& [key, v] : d) {
    const auto k = parse_rollup_key(key);
    ASSERT_TRUE(k) << key;
    if (k->daily) {
      EXPECT_EQ(k->metric, "backlog") << key;
      EXPECT_EQ(k->hour, kAllTime) << key;
    } else if (k->metric != "backlog") {
      hourly.insert(k->metric);
    }
  }
  for (const auto& [key, v] : reopen)
    if (const auto k = parse_rollup_key(key); k && !k->daily && k->metric != "backlog")
      hourly.insert(k->metric);
  // Every metric the hours got is one the job folds, and each one it folds was written here.
  EXPECT_EQ(hourly, std::set<std::string>(folded.begin(), folded.end()));
  auto one = [&](std::int64_t department, std::string_view dimension, std::string_view value) {
    return d[daily_key("backlog", kAllTime, department, dimension, value)];
  };
  // The backlog: the total and the extra dimensions per department and for all; the rest for
  // all only; one running count, in and out again.
  EXPECT_EQ(one(3, "", ""), 0);
  EXPECT_EQ(one(kAnyDimension, "tag", "vip"), 0);
  for (const auto* dimension : {"", "agent", "priority", "tag"})
    for (const auto& [day_value, n] : daily(d, "backlog", dimension)) {
      EXPECT_EQ(day_value.first, kAllTime) << dimension;
      EXPECT_EQ(n, 0) << dimension << " " << day_value.second;
    }
  EXPECT_EQ(daily(d, "backlog", "priority").size(), 2u);  // normal, then urgent
  EXPECT_TRUE(daily(d, "backlog", "agent").contains({kAllTime, "7"}));
}

// A solve adds the agent replies since creation; one reply alone is a one-touch resolution, and
// a reopened ticket's next solve counts every reply from creation again.
TEST(ReportRollup, RepliesToResolutionAndOneTouch) {
  auto s = open_ticket();
  RollupDeltas d;
  rollup_created(s, 0, d);
  rollup_agent_reply(s, 9, kHour, d);
  auto solved = s;
  solved.unsolved = false;
  rollup_change(s, solved, 2 * kHour, d);
  EXPECT_EQ(sum(d, "resolution_replies"), 1);
  EXPECT_EQ(sum(d, "one_touch"), 1);
  auto open = s;
  open.unsolved = true;
  rollup_change(s, open, 3 * kHour, d);
  rollup_agent_reply(s, 9, 4 * kHour, d);
  rollup_change(s, solved, 5 * kHour, d);
  EXPECT_EQ(sum(d, "resolution"), 2);
  EXPECT_EQ(sum(d, "resolution_replies"), 3);  // 1, then 2
  EXPECT_EQ(sum(d, "one_touch"), 1);           // the second needed two
  // Solved without a reply: no replies, and not one-touch.
  auto quiet = open_ticket();
  RollupDeltas q;
  rollup_change(quiet, solved, kHour, q);
  EXPECT_EQ(sum(q, "resolution"), 1);
  EXPECT_EQ(sum(q, "resolution_replies"), 0);
  EXPECT_EQ(sum(q, "one_touch"), 0);
}

TEST(ReportRollup, MonthsAreCalendarMonthsInChina) {
  // 2026-12-01 00:00 in UTC+8 is 2026-11-30T16:00Z.
  const std::int64_t december = 1'796'054'400'000 / kHour;
  ASSERT_EQ(day_of_hour(december), december);
  EXPECT_EQ(month_of_day(december), december);
  EXPECT_EQ(month_of_day(december + 24 * 30), december);       // 31 December
  EXPECT_EQ(month_of_day(december - 24), december - 24 * 30);  // 30 November
  EXPECT_EQ(next_month(december), december + 24 * 31);         // 2027-01-01
  EXPECT_EQ(next_month(december - 24 * 30), december);
  // February of a leap year; a month before 1970.
  const std::int64_t feb2028 = month_of_day(day_of_hour(1'833'846'400'000 / kHour));
  EXPECT_EQ(next_month(feb2028) - feb2028, 29 * 24);
  EXPECT_EQ(next_month(month_of_day(-24 * 40 + 16)) - month_of_day(-24 * 40 + 16), 30 * 24);
}

}  // namespace
}  // namespace gongdan
