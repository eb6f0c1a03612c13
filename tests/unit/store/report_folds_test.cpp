// Report days and months folded from hours (store/report_folds.hpp) answer exactly what the
// hours answer: random tickets over three months (across month ends), then reports of every
// grouping, scope, step and zone read through the tiers (store/report_tiers.hpp) before the
// fold, after it (in batches of a week), after a back-dated write that unfolds days, and after
// folding those again, each compared with the hourly counters summed directly. On SQLite, and
// on PostgreSQL in its step (PgLive).
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <tuple>

#include "domain/report_period.hpp"
#include "domain/report_rollup.hpp"
#include "pg_live.hpp"
#include "scratch_sqlite.hpp"
#include "store/migrations.hpp"
#include "store/report_folds.hpp"
#include "store/report_tiers.hpp"

namespace gongdan::store {
namespace {

constexpr Millis kHour = kMillisPerHour;
// 2026-01-20T00:00Z; the tickets come over 75 days from there.
constexpr Millis kStart = 1'768'867'200'000;
constexpr std::int64_t kSpanHours = 75 * 24;

RollupDeltas random_tickets(std::mt19937& rng, int n, Millis start, std::int64_t span_hours) {
  RollupDeltas out;
  const std::vector<std::string> channels = {"email", "web", "chat"};
  const std::vector<std::string> tags = {"vip", "bug"};
  auto pick = [&](int below) { return static_cast<int>(rng() % static_cast<unsigned>(below)); };
  for (int i = 0; i < n; ++i) {
    ReportState s;
    s.created_at =
        start + static_cast<Millis>(rng() % static_cast<unsigned>(span_hours * 60)) * 60'000;
    if (pick(5)) s.department_id = 1 + pick(3);
    if (pick(4)) s.assignee_id = 10 + pick(5);
    s.priority = static_cast<Priority>(pick(4));
    s.type = static_cast<TicketType>(pick(4));
    s.channel = channels[pick(3)];
    for (const auto& t : tags)
      if (pick(2)) s.tags.push_back(t);
    rollup_created(s, s.created_at, out);
    Millis at = s.created_at + pick(72) * kHour + pick(60) * 60'000;
    if (pick(3)) rollup_agent_reply(s, 10 + pick(5), at, out);
    auto next = s;
    if (pick(2)) {
      next.assignee_id = 10 + pick(5);
      next.department_id = 1 + pick(3);
      at += pick(30) * kHour;
      rollup_change(s, next, at, out);
    }
    if (pick(3)) {
      next.unsolved = false;
      rollup_change(s, next, at + pick(100) * kHour, out);
    }
  }
  return out;
}

using Totals = std::map<std::tuple<std::string, std::string, std::string>, std::int64_t>;

Totals add_up(const std::vector<RollupSum>& sums, const std::optional<ReportStep>& step,
              const ReportZone& zone) {
  Totals out;
  for (const auto& s : sums) out[{s.metric, step ? zone.label(s.hour, *step) : "", s.group}] += s.n;
  std::erase_if(out, [](const auto& kv) { return kv.second == 0; });
  return out;
}

struct Case {
  std::string name;
  TierRequest request;
};

// Reports as the service asks them (services/reports_service: ask_for), over a range.
std::vector<Case> cases(std::int64_t from, std::int64_t to) {
  std::vector<Case> out;
  auto add = [&](std::string name, RollupDimension group, std::optional<ReportStep> step,
                 auto&& tweak) {
    RollupQuery q;
    q.metrics = {"first_response", "first_response_ms"};
    q.from_hour = from;
    q.to_hour = to;
    q.group = group;
    q.rows = group == RollupDimension::kNone         ? RollupRows::kGrandTotal
             : group == RollupDimension::kDepartment ? RollupRows::kDepartmentTotals
                                                     : RollupRows::kEveryDimension;
    TierRequest r{q, step, false, false, false};
    tweak(r);
    out.push_back({std::move(name), r});
  };
  const std::pair<const char*, RollupDimension> groups[] = {
      {"total", RollupDimension::kNone},  {"department", RollupDimension::kDepartment},
      {"agent", RollupDimension::kAgent}, {"priority", RollupDimension::kPriority},
      {"type", RollupDimension::kType},   {"channel", RollupDimension::kChannel}};
  const std::pair<const char*, std::optional<ReportStep>> steps[] = {
      {"", std::nullopt},
      {" by day", ReportStep::kDay},
      {" by week", ReportStep::kWeek},
      {" by month", ReportStep::kMonth}};
  for (const auto& [gname, group] : groups)
    for (const auto& [sname, step] : steps) {
      if (step && group != RollupDimension::kNone) continue;
      add(std::string(gname) + sname, group, step, [](TierRequest&) {});
      // A supervisor of departments 1 and 2.
      add(std::string(gname) + sname + " (departments)", group, step, [](TierRequest& r) {
        r.hourly.departments = std::vector<std::int64_t>{1, 2};
        if (r.hourly.rows == RollupRows::kGrandTotal) r.hourly.rows = RollupRows::kDepartmentTotals;
      });
    }
  // An agent's own numbers.
  for (const auto& [name, group] : {std::pair{"own", RollupDimension::kNone},
                                    {"own by department", RollupDimension::kDepartment}})
    add(name, group, std::nullopt, [](TierRequest& r) {
      r.hourly.agent_id = 12;
      r.hourly.rows = RollupRows::kEveryDimension;
    });
  add("own by month", RollupDimension::kNone, ReportStep::kMonth, [](TierRequest& r) {
    r.hourly.agent_id = 12;
    r.hourly.rows = RollupRows::kEveryDimension;
  });
  // Tags: grouped, and one tag by department and by week.
  add("by tag", RollupDimension::kValue, std::nullopt, [](TierRequest& r) {
    r.hourly.dimension = "tag";
    r.extra_grouped = true;
  });
  add("vip by department", RollupDimension::kDepartment, std::nullopt, [](TierRequest& r) {
    r.hourly.dimension = "tag";
    r.hourly.dimension_value = "vip";
  });
  add("vip by week", RollupDimension::kNone, ReportStep::kWeek, [](TierRequest& r) {
    r.hourly.dimension = "tag";
    r.hourly.dimension_value = "vip";
  });
  return out;
}

// Every case in every zone and range read through the tiers equals the hours summed directly.
void expect_tiers_equal_hours(Database& db, const std::string& when) {
  std::vector<std::string> zones = {"Asia/Shanghai", "UTC", "America/New_York"};
  const std::int64_t origin = kStart / kHour;
  // Whole China days (16:00 UTC), odd hours, a day, and more than the data.
  const std::pair<std::int64_t, std::int64_t> ranges[] = {
      {origin - 8, origin - 8 + 60 * 24},
      {origin + 5, origin + 71 * 24 + 13},
      {origin + 40 * 24 - 8, origin + 41 * 24 - 8},
      {origin - 30 * 24, origin + 120 * 24}};
  int compared = 0, nonzero = 0;
  ASSERT_TRUE(db.read([&](Connection& c) -> Result<void> {
    for (const auto& name : zones) {
      GONGDAN_ASSIGN(auto zone, ReportZone::create(name));
      for (const auto& [from, to] : ranges)
        for (const auto& [label, request] : cases(from, to)) {
          GONGDAN_ASSIGN(auto tiers, sum_tiers(c, request, zone, kStart + kSpanHours * kHour));
          auto hourly = request.hourly;
          hourly.by_hour = true;
          GONGDAN_ASSIGN(auto hours, sum_rollups(c, hourly));
          const auto expected = add_up(hours, request.step, zone);
          EXPECT_EQ(add_up(tiers, request.step, zone), expected)
              << when << ": " << label << " in " << name << " [" << from << ", " << to << ")";
          ++compared;
          nonzero += !expected.empty();
        }
    }
    return {};
  }));
  EXPECT_GT(nonzero, compared / 2) << when;
}

void folds_answer_as_the_hours(Database& db) {
  ASSERT_TRUE(migrate(db));
  std::mt19937 rng(19);
  const auto deltas = random_tickets(rng, 3000, kStart, kSpanHours);
  ASSERT_TRUE(db.write([&](Connection& c) { return add_rollups(c, deltas); }));
  expect_tiers_equal_hours(db, "before folding");

  // Fold a week a call up to 80 days after the start: the months of February and March end.
  const std::int64_t until = day_of_hour(kStart / kHour + 80 * 24);
  std::int64_t first = 0;
  for (bool more = true; more;) {
    ASSERT_TRUE(db.write([&](Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(auto folded, fold_days(c, until, 7));
      if (!first) first = folded.from;
      EXPECT_LE(folded.to - folded.from, 7 * 24);
      more = folded.more;
      return {};
    }));
  }
  EXPECT_EQ(first, day_of_hour(kStart / kHour));  // from the first hour with counters
  std::int64_t days = 0, months = 0, next = 0;
  ASSERT_TRUE(db.read([&](Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(next, folded_until(c));
    GONGDAN_ASSIGN(days, select_count(c, "SELECT COUNT(*) FROM report_days"));
    GONGDAN_ASSIGN(months, select_count(c, "SELECT COUNT(*) FROM report_months"));
    return {};
  }));
  EXPECT_EQ(next, until);
  EXPECT_GT(days, 0);
  EXPECT_GT(months, 0);
  expect_tiers_equal_hours(db, "folded");
  // Folding again folds nothing.
  ASSERT_TRUE(db.write([&](Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto folded, fold_days(c, until, 7));
    EXPECT_EQ(folded.from, folded.to);
    return {};
  }));

  // Tickets written into folded days (an import): those days read hours until folded again.
  const auto late = random_tickets(rng, 300, kStart + 20 * 24 * kHour, 10 * 24);
  ASSERT_TRUE(db.write([&](Connection& c) { return add_rollups(c, late); }));
  ASSERT_TRUE(db.read([&](Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(next, folded_until(c));
    return {};
  }));
  EXPECT_EQ(next, day_of_hour(kStart / kHour + 20 * 24));
  expect_tiers_equal_hours(db, "unfolded by a late write");
  ASSERT_TRUE(db.write([&](Connection& c) -> Result<void> {
    for (bool more = true; more;) {
      GONGDAN_ASSIGN(auto folded, fold_days(c, until, 31));
      more = folded.more;
    }
    return {};
  }));
  expect_tiers_equal_hours(db, "folded again");
}

TEST(ReportFolds, DaysAndMonthsAnswerAsTheHoursOnSqlite) {
  ScratchSqlite db;
  ASSERT_TRUE(db);
  folds_answer_as_the_hours(*db);
}

TEST_F(PgLive, ReportDaysAndMonthsAnswerAsTheHours) { folds_answer_as_the_hours(*db_); }

}  // namespace
}  // namespace gongdan::store
