// The SLA clock of one ticket: a pure function of (calendar, policy, events, now) that says, for
// each metric, how much business time is spent, when it is due, when to warn, and whether (and
// when) it was breached. Nothing is stored: services keep the ticket's events and ask again; the
// scheduler sets its timers at the returned warning_at / due_at.
//
// Metrics and when their clocks run (only during business time, never while paused):
// - first response: from kCreated until the first kAgentPublicReply;
// - next response: from a kCustomerReply that arrives after the first response was given and
//   while no next response is awaited, until the next kAgentPublicReply; each such cycle starts
//   from zero;
// - resolution: from kCreated until kSolved; kReopened resumes it with the time already spent.
// kSolved also closes any response the customer is still waiting for (it counts as met, and as
// the first response, so a customer message after a reopen starts a next-response wait).
// kPaused / kResumed are the ticket entering / leaving the pending or on-hold status category
// (services map status changes to them); repeated pauses or resumes are harmless.
// kPolicyChanged swaps the targets: business time already spent, and time already paused, carry
// over, so the new due time is "new target minus time spent", counted from the change.
//
// A metric is breached when it is not met by its due time: a reply at exactly due_at is in time.
// breached_at is the due time that was missed; it stays set once the breach happened (the breach
// event has fired), even if a later policy gives a longer target.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "domain/business_calendar.hpp"
#include "domain/sla_policy.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan {

enum class SlaEventKind {
  kCreated,
  kPaused,   // status category became pending or on-hold
  kResumed,  // status category left pending / on-hold (but not to solved)
  kAgentPublicReply,
  kCustomerReply,
  kSolved,
  kReopened,
  kPolicyChanged,
};

struct SlaEvent {
  Millis at = 0;
  SlaEventKind kind = SlaEventKind::kCreated;
  std::optional<SlaPolicy> policy;  // the new policy; only for kPolicyChanged
};

enum class SlaMetric { kFirstResponse, kNextResponse, kResolution };

enum class SlaMetricState {
  kNotStarted,  // nothing to measure yet (no customer message awaiting a next response)
  kRunning,
  kPaused,
  kMet,  // stopped by a reply or by solving; met_at says when
};

enum class SlaPauseState { kRunning, kPaused };

struct SlaMetricStatus {
  SlaMetric metric = SlaMetric::kFirstResponse;
  SlaMetricState state = SlaMetricState::kNotStarted;
  std::optional<Millis> target;      // business ms, from the policy in force now
  Millis elapsed = 0;                // business ms spent, up to now or until met
  std::optional<Millis> remaining;   // target - elapsed; negative when overdue
  std::optional<Millis> started_at;  // start of the current cycle
  std::optional<Millis> met_at;
  // While running: the instant the target is reached (may be in the past when overdue). While
  // paused there is no due time: it moves with the pause.
  std::optional<Millis> due_at;
  // While running: when the remaining business time falls to the warning lead.
  std::optional<Millis> warning_at;
  std::optional<Millis> breached_at;  // the due time that was missed
  bool breached() const { return breached_at.has_value(); }
};

struct SlaStatus {
  std::int64_t policy_id = 0;  // the policy in force at `now`
  SlaPauseState pause = SlaPauseState::kRunning;
  Millis paused_total = 0;  // wall-clock ms spent paused, up to now
  SlaMetricStatus first_response;
  SlaMetricStatus next_response;
  SlaMetricStatus resolution;
};

struct SlaClockOptions {
  // Warn when this much business time is left (0: warning_at equals due_at).
  Millis warning_lead = 0;
};

// Events must be in time order and start with kCreated; events after `now` are ignored.
// Errors (kInvalidArgument, field "events[i]") mean the caller's event list is inconsistent.
[[nodiscard]] Result<SlaStatus> compute_sla(const BusinessCalendar& calendar,
                                            const SlaPolicy& policy,
                                            std::span<const SlaEvent> events, Millis now,
                                            SlaClockOptions options = {});

}  // namespace gongdan
