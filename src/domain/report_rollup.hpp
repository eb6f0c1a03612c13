// Report rollups: what one ticket change adds to the hourly counters that reports read
// (docs/metrics.md defines each metric). Pure: the tickets service calls it inside the write of
// each change, and `gongdan reports rebuild` calls it while replaying a ticket's history, so
// the live counters and a recount follow one definition.
//
// A counter is keyed by metric, UTC hour and the ticket's dimensions at that moment
// (department, assignee, priority, type, channel), and is added to the department's total and
// the grand total of that hour too; its value is a count, or a sum of
// milliseconds for the *_ms metrics. The keys are text ("r|metric|hour|…") so they travel with
// the view counters through the write batch (store::Connection::add_count) and are stored in
// their own table. The extra dimensions (organization, each tag, each select-type custom field's
// value) add one more counter each, keyed "d|metric|hour|department|agent|dimension|value", in a
// table of their own: a report groups or filters by one of them at a time.
//
// Days and months: reports over weeks or months read a row per day (or month) and value instead
// of a row per event (at a million tickets nearly every event has an hourly row of its own). They
// are not written here: a job folds each finished day's hourly counters into one counter per
// dimension of that day, and each finished month's days into its month (store/report_folds.hpp),
// so a ticket write adds only to its hour. A day is the 24 hours from kDayStartHour UTC, midnight
// in China (UTC+8); a month is a calendar month of those days. The backlog alone keeps live
// counters beside the hourly ones: one running count per dimension (keyed
// "s|backlog|kAllTime|department|dimension|value"; dimension "" is the total, kept per department
// and for all (department kAnyDimension), as are the extra dimensions' values; the agent,
// priority, type and channel for all departments only), so the backlog now is read without
// summing all time.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/custom_field.hpp"
#include "domain/ticket.hpp"

namespace gongdan {

inline constexpr Millis kMillisPerHour = 3'600'000;
// The UTC hour a day of the daily tier starts at (00:00 in UTC+8), and the day of the backlog's
// running counts.
inline constexpr std::int64_t kDayStartHour = 16;
inline constexpr std::int64_t kAllTime = -2'147'483'647;
// The first hour of the day of the daily tier `hour` falls in.
constexpr std::int64_t day_of_hour(std::int64_t hour) {
  return hour - (((hour - kDayStartHour) % 24) + 24) % 24;
}

// The first hour of the month (of the days above, dates in UTC+8) that `day` (a day's first
// hour) falls in, and of the month after `month` (a month's first hour).
std::int64_t month_of_day(std::int64_t day);
std::int64_t next_month(std::int64_t month);
// Every metric the hourly counters keep but the backlog: the ones folded into days and months.
const std::vector<std::string>& folded_metrics();

// The part of a ticket the rollups follow.
struct ReportState {
  Millis created_at = 0;
  std::optional<std::int64_t> department_id;
  std::optional<std::int64_t> assignee_id;
  Priority priority = Priority::kNormal;
  TicketType type = TicketType::kQuestion;
  std::string channel;
  bool unsolved = true;
  bool responded = false;    // an agent has answered in public
  std::int64_t replies = 0;  // agent replies so far (replies to resolution, one-touch)
  // The extra dimensions: the organization, the tags (sorted), and (key, option value) of the
  // select-type custom fields that are set (sorted).
  std::optional<std::int64_t> organization_id;
  std::vector<std::string> tags;
  std::vector<std::pair<std::string, std::string>> fields;
};
// `select_fields`: the keys of the dropdown and multi-select custom fields (select_field_keys).
// Whether ticket writes keep the rollups (the setting report_rollups, on unless turned off):
// off, creates and changes, SLA outcomes and CSAT add nothing to them, and reports go stale
// until `gongdan reports rebuild`. It exists to measure what the rollups cost (bench/reports.sh
// runs the same build with it off beside it on). Set once at start-up.
void set_rollups_kept(bool kept);
bool rollups_kept();

ReportState report_state_of(const Ticket& ticket, std::span<const std::string> select_fields);
std::vector<std::string> select_field_keys(const std::vector<FieldDefinition>& fields);
// The option values those fields hold in a ticket's custom_fields (JSON text).
std::vector<std::pair<std::string, std::string>> select_values(
    std::string_view custom_fields, std::span<const std::string> select_fields);

using RollupDeltas = std::map<std::string, std::int64_t>;

// The counter key of `metric` at `hour` for a ticket in `state`; `agent` replaces the assignee
// (an agent's own replies).
std::string rollup_key(std::string_view metric, std::int64_t hour, const ReportState& state,
                       std::optional<std::int64_t> agent = std::nullopt);
// The row of `department`'s total (kAnyDimension: the grand total): the other dimensions are
// kAnyDimension, "*" for type and channel.
inline constexpr std::int64_t kAnyDimension = -1;
std::string total_key(std::string_view metric, std::int64_t hour, std::int64_t department);
// The key of an extra dimension's counter ("tag", "organization", "field:<key>").
std::string dimension_key(std::string_view metric, std::int64_t hour, std::int64_t department,
                          std::int64_t agent, std::string_view dimension, std::string_view value);
// The key of a running backlog counter (`day` kAllTime): `dimension` is "" (the department's
// total; `value` empty), "agent", "priority", "type", "channel" or an extra dimension.
std::string daily_key(std::string_view metric, std::int64_t day, std::int64_t department,
                      std::string_view dimension, std::string_view value);
bool is_rollup_key(std::string_view key);  // any kind

// A key split back into its parts.
struct RollupKey {
  std::string metric;
  std::int64_t hour = 0;
  std::int64_t department_id = 0;  // 0: none
  std::int64_t agent_id = 0;       // 0: none
  int priority = 0;
  std::string type;
  std::string channel;
  std::string dimension;  // an extra dimension's counter: its name and value; else empty
  std::string value;
  bool daily = false;  // a daily counter: `hour` is its day's first, `dimension` may be ""
};
std::optional<RollupKey> parse_rollup_key(std::string_view key);

// A new ticket.
void rollup_created(const ReportState& state, Millis now, RollupDeltas& out);
// A public reply by an agent (`author`): the first one is the ticket's first response.
void rollup_agent_reply(ReportState& state, std::int64_t author, Millis now, RollupDeltas& out);
// A customer left the help centre's suggested article without submitting a ticket (knowledge
// base deflection): no ticket, so no dimensions.
void rollup_kb_deflection(Millis at, RollupDeltas& out);
// A satisfaction survey mailed, and a rating given (its value as the survey took it: "good",
// "bad", "1" … "5"), with the ticket's dimensions at that moment.
void rollup_csat_sent(const ReportState& state, Millis now, RollupDeltas& out);
void rollup_csat_rated(const ReportState& state, std::string_view rating, Millis now,
                       RollupDeltas& out);
// Handle time: `ms` milliseconds agent `agent` worked on the ticket, counted at `at` (a
// heartbeat, domain/work_time.hpp) under the ticket's dimensions then, the agent being the one
// who worked (as for replies).
void rollup_handle_time(const ReportState& state, std::int64_t agent, Millis ms, Millis at,
                        RollupDeltas& out);
// An SLA target's outcome: `target` (first_response, next_response or resolution) met in time,
// or breached (as the SLA records it, when its due time passes). False for an unknown target.
bool rollup_sla(const ReportState& state, std::string_view target, bool met, Millis now,
                RollupDeltas& out);
// A change of status category or dimensions, from `state` to `next`, taken one field at a time
// in the order the ticket's history records them (status, priority, type, department,
// assignee), so that a replay of the history, one event at a time, adds the same.
void rollup_change(ReportState& state, const ReportState& next, Millis now, RollupDeltas& out);

// Replays one ticket's history (its events in order, including those a merge moved to another
// ticket) and adds what each change added when it happened. `category_of` maps a status name as
// the history recorded it; `is_agent` says whether a user is an agent.
struct ReplayLookups {
  std::function<std::optional<StatusCategory>(std::string_view status_name)> category_of;
  std::function<bool(std::int64_t user_id)> is_agent;
  std::vector<std::string> select_fields;  // as report_state_of takes them
};
// Handle time is not in the history: each ticket keeps what its heartbeats added, per agent
// and hour, with the id of the ticket's last event when they came (`after_event`), so the
// replay adds them after that event, under the dimensions the live heartbeat saw.
struct WorkSpan {
  std::int64_t after_event = 0;
  std::int64_t user_id = 0;
  Millis at = 0;  // a moment of the hour it was counted in
  Millis ms = 0;
};
void replay_rollups(const Ticket& ticket, std::span<const TicketEvent> history,
                    const ReplayLookups& lookups, RollupDeltas& out,
                    std::span<const WorkSpan> work = {});

}  // namespace gongdan
