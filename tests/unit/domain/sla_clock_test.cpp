#include "domain/sla_clock.hpp"

#include <chrono>
#include <fstream>
#include <sstream>

#include <date/tz.h>
#include <gtest/gtest.h>

#include "local_time.hpp"

namespace gongdan {
namespace {

using testing_time::kHour;
using testing_time::kMinute;
using testing_time::local_ms;

// 2026-03-02 is a Monday.
Millis utc(unsigned d, int hh, int mm = 0) { return local_ms("UTC", 2026, 3, d, hh, mm); }

BusinessCalendar office_utc() {
  auto calendar = parse_business_calendar(R"({"time_zone": "UTC", "weekly_hours": {
      "mon": ["09:00-17:00"], "tue": ["09:00-17:00"], "wed": ["09:00-17:00"],
      "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]}})");
  EXPECT_TRUE(calendar.has_value());
  return *calendar;
}

SlaPolicy policy(std::int64_t id, std::optional<std::int64_t> first,
                 std::optional<std::int64_t> next, std::optional<std::int64_t> resolution) {
  SlaPolicy p;
  p.id = id;
  p.targets = SlaTargets{first, next, resolution};
  return p;
}

SlaEvent event(Millis at, SlaEventKind kind) { return SlaEvent{at, kind, std::nullopt}; }

SlaStatus compute(const BusinessCalendar& calendar, const SlaPolicy& p,
                  const std::vector<SlaEvent>& events, Millis now, Millis lead = 0) {
  auto status = compute_sla(calendar, p, events, now, SlaClockOptions{lead});
  EXPECT_TRUE(status.has_value()) << status.error().field << ": " << status.error().message;
  return *status;
}

TEST(SlaClock, FirstResponseRunningWithWarning) {
  const auto calendar = office_utc();
  const auto p = policy(1, 60, 120, 480);
  const std::vector<SlaEvent> events = {event(utc(2, 9), SlaEventKind::kCreated)};
  const auto status = compute(calendar, p, events, utc(2, 9, 30), 15 * kMinute);
  EXPECT_EQ(status.policy_id, 1);
  EXPECT_EQ(status.first_response.state, SlaMetricState::kRunning);
  EXPECT_EQ(status.first_response.elapsed, 30 * kMinute);
  EXPECT_EQ(status.first_response.remaining, 30 * kMinute);
  EXPECT_EQ(status.first_response.due_at, utc(2, 10));
  EXPECT_EQ(status.first_response.warning_at, utc(2, 9, 45));
  EXPECT_FALSE(status.first_response.breached());
  EXPECT_EQ(status.next_response.state, SlaMetricState::kNotStarted);
  EXPECT_EQ(status.resolution.due_at, utc(2, 17));
}

TEST(SlaClock, ReplyAtTheDueInstantIsInTimeOneMinuteLateIsNot) {
  const auto calendar = office_utc();
  const auto p = policy(1, 60, std::nullopt, std::nullopt);
  for (auto [reply, breached] : {std::pair{utc(2, 10), false}, std::pair{utc(2, 10, 1), true}}) {
    const std::vector<SlaEvent> events = {event(utc(2, 9), SlaEventKind::kCreated),
                                          event(reply, SlaEventKind::kAgentPublicReply)};
    const auto status = compute(calendar, p, events, utc(3, 12));
    EXPECT_EQ(status.first_response.state, SlaMetricState::kMet);
    EXPECT_EQ(status.first_response.met_at, reply);
    EXPECT_EQ(status.first_response.breached(), breached);
    if (breached) {
      EXPECT_EQ(status.first_response.breached_at, utc(2, 10));
    }
    EXPECT_FALSE(status.first_response.due_at.has_value());
  }
}

TEST(SlaClock, BreachAfterTheNightAndOutsideHours) {
  const auto calendar = office_utc();
  const auto p = policy(1, 60, std::nullopt, std::nullopt);
  const std::vector<SlaEvent> events = {event(utc(2, 16, 30), SlaEventKind::kCreated)};
  // At 20:00 the business clock has not moved since 17:00: not breached yet.
  auto status = compute(calendar, p, events, utc(2, 20));
  EXPECT_EQ(status.first_response.due_at, utc(3, 9, 30));
  EXPECT_FALSE(status.first_response.breached());
  status = compute(calendar, p, events, utc(3, 10));
  EXPECT_EQ(status.first_response.breached_at, utc(3, 9, 30));
  EXPECT_EQ(status.first_response.due_at, utc(3, 9, 30));
  EXPECT_EQ(status.first_response.remaining, -30 * kMinute);
  // Friday 16:30 + 1 h is due Monday 09:30; on Saturday it is overdue in wall time only.
  const std::vector<SlaEvent> friday = {event(utc(6, 16, 30), SlaEventKind::kCreated)};
  status = compute(calendar, p, friday, utc(7, 12));
  EXPECT_EQ(status.first_response.due_at, utc(9, 9, 30));
  EXPECT_FALSE(status.first_response.breached());
}

TEST(SlaClock, PauseStopsTheClockAndMovesTheDueTime) {
  const auto calendar = office_utc();
  const auto p = policy(1, std::nullopt, std::nullopt, 120);
  const std::vector<SlaEvent> events = {
      event(utc(2, 9), SlaEventKind::kCreated),
      event(utc(2, 10), SlaEventKind::kPaused),
      event(utc(2, 11), SlaEventKind::kPaused),  // a second pending status changes nothing
      event(utc(4, 10), SlaEventKind::kResumed),
  };
  auto status = compute(calendar, p, events, utc(3, 12));
  EXPECT_EQ(status.pause, SlaPauseState::kPaused);
  EXPECT_EQ(status.resolution.state, SlaMetricState::kPaused);
  EXPECT_EQ(status.resolution.elapsed, kHour);
  EXPECT_EQ(status.resolution.remaining, kHour);
  EXPECT_FALSE(status.resolution.due_at.has_value());
  EXPECT_EQ(status.paused_total, 26 * kHour);

  status = compute(calendar, p, events, utc(4, 10, 30));
  EXPECT_EQ(status.pause, SlaPauseState::kRunning);
  EXPECT_EQ(status.resolution.state, SlaMetricState::kRunning);
  EXPECT_EQ(status.resolution.elapsed, 90 * kMinute);
  EXPECT_EQ(status.resolution.due_at, utc(4, 11));
  EXPECT_EQ(status.paused_total, 48 * kHour);
  EXPECT_FALSE(status.resolution.breached());
}

TEST(SlaClock, PolicyChangeCarriesSpentAndPausedTime) {
  const auto calendar = office_utc();
  const auto normal = policy(1, std::nullopt, std::nullopt, 480);
  const auto urgent = policy(2, std::nullopt, std::nullopt, 180);
  std::vector<SlaEvent> events = {
      event(utc(2, 9), SlaEventKind::kCreated),
      event(utc(2, 10), SlaEventKind::kPaused),
      event(utc(2, 11), SlaEventKind::kResumed),
      SlaEvent{utc(2, 12), SlaEventKind::kPolicyChanged, urgent},
  };
  // 2 h spent (09-10, 11-12), the hour paused is not; 3 h target leaves 1 h from the change.
  auto status = compute(calendar, normal, events, utc(2, 12, 15), 30 * kMinute);
  EXPECT_EQ(status.policy_id, 2);
  EXPECT_EQ(status.resolution.target, 180 * kMinute);
  EXPECT_EQ(status.resolution.elapsed, 2 * kHour + 15 * kMinute);
  EXPECT_EQ(status.resolution.due_at, utc(2, 13));
  EXPECT_EQ(status.resolution.warning_at, utc(2, 12, 30));
  EXPECT_EQ(status.paused_total, kHour);
  EXPECT_FALSE(status.resolution.breached());

  // Under the old policy the same ticket would be due at 18:00 - 1 h paused = 09:00 + 9 h.
  status = compute(calendar, normal, std::vector<SlaEvent>(events.begin(), events.begin() + 3),
                   utc(2, 12));
  EXPECT_EQ(status.resolution.due_at, utc(3, 10));

  // A policy whose target is already spent is breached from the moment of the change.
  events.back() =
      SlaEvent{utc(2, 12), SlaEventKind::kPolicyChanged, policy(3, std::nullopt, std::nullopt, 90)};
  status = compute(calendar, normal, events, utc(2, 12, 5));
  EXPECT_EQ(status.resolution.breached_at, utc(2, 12));
  EXPECT_EQ(status.resolution.remaining, -35 * kMinute);
}

TEST(SlaClock, PolicyChangeCanStartMeasuringAMetric) {
  const auto calendar = office_utc();
  const std::vector<SlaEvent> events = {
      event(utc(2, 9), SlaEventKind::kCreated),
      SlaEvent{utc(2, 10), SlaEventKind::kPolicyChanged, policy(4, 90, std::nullopt, {})},
  };
  const auto status = compute(calendar, policy(5, {}, {}, {}), events, utc(2, 10));
  EXPECT_EQ(status.first_response.elapsed, kHour);  // counted before there was a target
  EXPECT_EQ(status.first_response.due_at, utc(2, 10, 30));
  EXPECT_FALSE(status.resolution.target.has_value());
  EXPECT_FALSE(status.resolution.due_at.has_value());
}

TEST(SlaClock, NextResponseCycles) {
  const auto calendar = office_utc();
  const auto p = policy(1, 60, 30, std::nullopt);
  std::vector<SlaEvent> events = {
      event(utc(2, 9), SlaEventKind::kCreated),
      event(utc(2, 9, 5), SlaEventKind::kCustomerReply),  // still waiting for the first response
      event(utc(2, 9, 20), SlaEventKind::kAgentPublicReply),
      event(utc(2, 10), SlaEventKind::kCustomerReply),
      event(utc(2, 10, 10), SlaEventKind::kCustomerReply),  // does not restart the wait
  };
  auto status = compute(calendar, p, events, utc(2, 10, 20));
  EXPECT_EQ(status.first_response.state, SlaMetricState::kMet);
  EXPECT_FALSE(status.first_response.breached());
  EXPECT_EQ(status.next_response.state, SlaMetricState::kRunning);
  EXPECT_EQ(status.next_response.started_at, utc(2, 10));
  EXPECT_EQ(status.next_response.due_at, utc(2, 10, 30));

  events.push_back(event(utc(2, 10, 45), SlaEventKind::kAgentPublicReply));
  status = compute(calendar, p, events, utc(2, 11));
  EXPECT_EQ(status.next_response.state, SlaMetricState::kMet);
  EXPECT_EQ(status.next_response.breached_at, utc(2, 10, 30));

  // A new customer message starts a fresh cycle with nothing spent and no breach.
  events.push_back(event(utc(2, 14), SlaEventKind::kCustomerReply));
  status = compute(calendar, p, events, utc(2, 14, 10));
  EXPECT_EQ(status.next_response.state, SlaMetricState::kRunning);
  EXPECT_EQ(status.next_response.elapsed, 10 * kMinute);
  EXPECT_FALSE(status.next_response.breached());
  EXPECT_EQ(status.next_response.due_at, utc(2, 14, 30));
}

TEST(SlaClock, SolveAndReopenKeepResolutionTime) {
  const auto calendar = office_utc();
  const auto p = policy(1, 60, 30, 240);
  std::vector<SlaEvent> events = {
      event(utc(2, 9), SlaEventKind::kCreated),
      event(utc(2, 10), SlaEventKind::kSolved),
  };
  auto status = compute(calendar, p, events, utc(2, 12));
  EXPECT_EQ(status.resolution.state, SlaMetricState::kMet);
  EXPECT_EQ(status.first_response.state, SlaMetricState::kMet);  // solving answers the customer
  EXPECT_FALSE(status.first_response.breached());
  EXPECT_EQ(status.resolution.elapsed, kHour);

  events.push_back(event(utc(3, 9), SlaEventKind::kReopened));
  events.push_back(event(utc(3, 9), SlaEventKind::kCustomerReply));
  status = compute(calendar, p, events, utc(3, 9, 30));
  EXPECT_EQ(status.resolution.state, SlaMetricState::kRunning);
  EXPECT_EQ(status.resolution.elapsed, 90 * kMinute);
  EXPECT_EQ(status.resolution.due_at, utc(3, 12));
  EXPECT_EQ(status.resolution.met_at, std::nullopt);
  EXPECT_EQ(status.next_response.state, SlaMetricState::kRunning);
}

TEST(SlaClock, SolvingWhilePendingEndsThePause) {
  const auto calendar = office_utc();
  const std::vector<SlaEvent> events = {
      event(utc(2, 9), SlaEventKind::kCreated),
      event(utc(2, 10), SlaEventKind::kPaused),
      event(utc(2, 15), SlaEventKind::kSolved),
  };
  const auto status = compute(calendar, policy(7, {}, {}, 600), events, utc(3, 9));
  EXPECT_EQ(status.pause, SlaPauseState::kRunning);
  EXPECT_EQ(status.paused_total, 5 * kHour);
  EXPECT_EQ(status.resolution.elapsed, kHour);
}

TEST(SlaClock, ShanghaiTicketBeforeSpringFestival) {
  std::ifstream in(GONGDAN_FIXTURES "/calendars/cn-2026.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto calendar = parse_business_calendar(text.str());
  ASSERT_TRUE(calendar.has_value());
  const auto sh = [](unsigned m, unsigned d, int hh, int mm = 0) {
    return local_ms("Asia/Shanghai", 2026, m, d, hh, mm);
  };
  const auto p = policy(6, 240, std::nullopt, 24 * 60);
  auto status =
      compute(*calendar, p, {event(sh(2, 13, 17), SlaEventKind::kCreated)}, sh(2, 13, 17, 30));
  EXPECT_EQ(status.first_response.due_at, sh(2, 14, 12));  // the make-up Saturday
  // Opened on the make-up Saturday evening: due after the festival, and not breached during it.
  status = compute(*calendar, p, {event(sh(2, 14, 17, 30), SlaEventKind::kCreated)}, sh(2, 20, 12));
  EXPECT_EQ(status.first_response.due_at, sh(2, 24, 12, 30));
  EXPECT_FALSE(status.first_response.breached());
  EXPECT_EQ(status.first_response.elapsed, 30 * kMinute);
  // 24 business hours: 0.5 h on Saturday, 9 h on Tuesday and on Wednesday, 5.5 h on Thursday.
  EXPECT_EQ(status.resolution.due_at, sh(2, 26, 14, 30));
}

TEST(SlaClock, EventsAfterNowAreIgnored) {
  const auto calendar = office_utc();
  const std::vector<SlaEvent> events = {event(utc(2, 9), SlaEventKind::kCreated),
                                        event(utc(2, 11), SlaEventKind::kAgentPublicReply)};
  const auto status = compute(calendar, policy(7, 60, {}, {}), events, utc(2, 9, 30));
  EXPECT_EQ(status.first_response.state, SlaMetricState::kRunning);
}

TEST(SlaClock, RejectsInconsistentEvents) {
  const auto calendar = office_utc();
  const auto p = policy(7, 60, {}, {});
  struct Case {
    std::vector<SlaEvent> events;
    const char* field;
  };
  const std::vector<Case> cases = {
      {{event(utc(2, 9), SlaEventKind::kAgentPublicReply)}, "events[0]"},
      {{event(utc(2, 9), SlaEventKind::kCreated), event(utc(2, 8), SlaEventKind::kPaused)},
       "events[1]"},
      {{event(utc(2, 9), SlaEventKind::kCreated), event(utc(2, 9), SlaEventKind::kCreated)},
       "events[1]"},
      {{event(utc(2, 9), SlaEventKind::kCreated), event(utc(2, 10), SlaEventKind::kPolicyChanged)},
       "events[1]"},
      {{event(utc(2, 9), SlaEventKind::kCreated),
        SlaEvent{utc(2, 10), SlaEventKind::kPolicyChanged, policy(8, -5, {}, {})}},
       "events[1].policy.targets.first_response_minutes"},
  };
  for (const auto& c : cases) {
    auto status = compute_sla(calendar, p, c.events, utc(3, 9));
    ASSERT_FALSE(status.has_value()) << c.field;
    EXPECT_EQ(status.error().field, c.field);
  }
}

}  // namespace
}  // namespace gongdan
