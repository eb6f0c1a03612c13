// Business-time arithmetic over long spans: a year-long target must cost days' (or weeks')
// steps, never minutes'. Baseline in the same run: a 4-hour target.
// Run: micro_bench --benchmark_filter=BusinessCalendar
#include <chrono>
#include <stdexcept>

#include <benchmark/benchmark.h>

#include "domain/business_calendar.hpp"

namespace gongdan {
namespace {

constexpr Millis kCalendarBenchHour = 3'600'000;

// Mainland China 2026 (holidays and make-up days) and New York (DST), Monday to Friday.
BusinessCalendar bench_calendar(bool china) {
  auto calendar = parse_business_calendar(china ? R"({"time_zone": "Asia/Shanghai",
        "weekly_hours": {"mon": ["09:00-18:00"], "tue": ["09:00-18:00"], "wed": ["09:00-18:00"],
                         "thu": ["09:00-18:00"], "fri": ["09:00-18:00"]},
        "holidays": [{"from": "2026-01-01", "to": "2026-01-03"}, {"from": "2026-02-15", "to": "2026-02-23"},
                     {"from": "2026-04-04", "to": "2026-04-06"}, {"from": "2026-05-01", "to": "2026-05-05"},
                     {"from": "2026-06-19", "to": "2026-06-21"}, {"from": "2026-09-25", "to": "2026-09-27"},
                     {"from": "2026-10-01", "to": "2026-10-07"}],
        "extra_working_days": ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09",
                               "2026-09-20", "2026-10-10"]})"
                                                : R"({"time_zone": "America/New_York",
        "weekly_hours": {"mon": ["09:00-12:00", "13:30-18:00"], "tue": ["09:00-12:00", "13:30-18:00"],
                         "wed": ["09:00-12:00", "13:30-18:00"], "thu": ["09:00-12:00", "13:30-18:00"],
                         "fri": ["09:00-12:00", "13:30-18:00"]}})");
  if (!calendar) throw std::runtime_error(calendar.error().message);
  return *calendar;
}

// 2026-01-05 00:00 UTC.
constexpr Millis kCalendarBenchStart = 1'767'571'200'000;

void BM_BusinessCalendarAdd(benchmark::State& state) {
  const auto calendar = bench_calendar(state.range(0) == 1);
  const Millis duration = state.range(1) * kCalendarBenchHour;
  for (auto _ : state)
    benchmark::DoNotOptimize(calendar.add_business_time(kCalendarBenchStart, duration));
}
// {china?, hours}: 4 business hours, and a year of business time (about 2,000 hours).
BENCHMARK(BM_BusinessCalendarAdd)
    ->Args({0, 4})
    ->Args({0, 2000})
    ->Args({1, 4})
    ->Args({1, 2000})
    ->Unit(benchmark::kMicrosecond);

void BM_BusinessCalendarBetween(benchmark::State& state) {
  const auto calendar = bench_calendar(state.range(0) == 1);
  const Millis end = kCalendarBenchStart + state.range(1) * 24 * kCalendarBenchHour;
  for (auto _ : state)
    benchmark::DoNotOptimize(calendar.business_time_between(kCalendarBenchStart, end));
}
// {china?, calendar days}
BENCHMARK(BM_BusinessCalendarBetween)
    ->Args({0, 1})
    ->Args({0, 365})
    ->Args({1, 365})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace gongdan
