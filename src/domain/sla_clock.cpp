#include "domain/sla_clock.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace gongdan {

namespace {

constexpr Millis kSlaMillisPerMinute = 60'000;

// One metric while the events are replayed.
struct MetricTrack {
  SlaMetricStatus status;
  Millis checkpoint = 0;  // elapsed is up to date until here
  std::optional<Millis> warned_at;

  bool active() const { return status.state == SlaMetricState::kRunning; }

  void start(Millis at) {
    status.state = SlaMetricState::kRunning;
    status.elapsed = 0;
    status.started_at = at;
    status.met_at.reset();
    status.breached_at.reset();
    warned_at.reset();
    checkpoint = at;
  }

  void meet(Millis at) {
    if (!active()) return;
    status.state = SlaMetricState::kMet;
    status.met_at = at;
  }
};

std::optional<Millis> target_ms(const std::optional<std::int64_t>& target_minutes) {
  if (!target_minutes) return std::nullopt;
  return *target_minutes * kSlaMillisPerMinute;
}

Result<void> check_targets(const SlaTargets& targets, const std::string& field) {
  const std::array<std::pair<const std::optional<std::int64_t>*, const char*>, 3> all = {{
      {&targets.first_response_minutes, "first_response_minutes"},
      {&targets.next_response_minutes, "next_response_minutes"},
      {&targets.resolution_minutes, "resolution_minutes"},
  }};
  // Ten years of minutes: anything larger is a unit mistake, and would overflow far later.
  constexpr std::int64_t kMaxMinutes = 10LL * 366 * 24 * 60;
  for (const auto& [value, name] : all) {
    if (*value && (**value < 0 || **value > kMaxMinutes)) {
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("a target must be between 0 and {} minutes", kMaxMinutes),
                  fmt::format("{}.{}", field, name));
    }
  }
  return {};
}

class SlaReplay {
 public:
  SlaReplay(const BusinessCalendar& calendar, const SlaPolicy& policy, SlaClockOptions options)
      : calendar_(calendar), options_(options) {
    tracks_[0].status.metric = SlaMetric::kFirstResponse;
    tracks_[1].status.metric = SlaMetric::kNextResponse;
    tracks_[2].status.metric = SlaMetric::kResolution;
    set_policy(policy);
  }

  MetricTrack& first_response() { return tracks_[0]; }
  MetricTrack& next_response() { return tracks_[1]; }
  MetricTrack& resolution() { return tracks_[2]; }

  void set_policy(const SlaPolicy& policy) {
    policy_id_ = policy.id;
    tracks_[0].status.target = target_ms(policy.targets.first_response_minutes);
    tracks_[1].status.target = target_ms(policy.targets.next_response_minutes);
    tracks_[2].status.target = target_ms(policy.targets.resolution_minutes);
  }

  // Brings every running metric up to `to`, noting the warning and breach instants it passes.
  void advance(Millis to) {
    for (auto& track : tracks_) {
      if (!track.active()) continue;
      if (pause_ == SlaPauseState::kRunning && to > track.checkpoint) {
        const Millis delta = calendar_.business_time_between(track.checkpoint, to);
        note_crossings(track, delta, to);
        track.status.elapsed += delta;
      }
      track.checkpoint = to;
    }
  }

  void pause(Millis at) {
    if (pause_ == SlaPauseState::kPaused) return;
    pause_ = SlaPauseState::kPaused;
    paused_since_ = at;
  }

  void resume(Millis at) {
    if (pause_ == SlaPauseState::kRunning) return;
    pause_ = SlaPauseState::kRunning;
    paused_total_ += at - paused_since_;
  }

  void solve(Millis at) {
    resume(at);  // a solved ticket is no longer pending
    for (auto& track : tracks_) track.meet(at);
    solved_ = true;
    first_response_given_ = true;  // solving answered the customer; a reopen awaits a next one
  }

  void reopen(Millis at) {
    if (!solved_) return;
    solved_ = false;
    auto& track = resolution();
    if (track.status.state == SlaMetricState::kMet) {
      // The resolution clock continues with the time already spent.
      track.status.state = SlaMetricState::kRunning;
      track.status.met_at.reset();
      track.checkpoint = at;
    }
  }

  void agent_reply(Millis at) {
    first_response().meet(at);
    next_response().meet(at);
    first_response_given_ = true;
  }

  void customer_reply(Millis at) {
    // Before the first response the customer is already waiting for it; a second message while
    // a next response is awaited does not restart the wait.
    if (!first_response_given_ || solved_ || next_response().active()) return;
    next_response().start(at);
  }

  SlaStatus finish(Millis now) {
    SlaStatus out;
    out.policy_id = policy_id_;
    out.pause = pause_;
    out.paused_total = paused_total_ + (pause_ == SlaPauseState::kPaused ? now - paused_since_ : 0);
    for (auto& track : tracks_) finish_metric(track, now);
    out.first_response = tracks_[0].status;
    out.next_response = tracks_[1].status;
    out.resolution = tracks_[2].status;
    return out;
  }

 private:
  Millis warning_threshold(Millis target) const {
    return std::max<Millis>(0, target - options_.warning_lead);
  }

  void note_crossings(MetricTrack& track, Millis delta, Millis to) {
    const auto& target = track.status.target;
    if (!target) return;
    const Millis elapsed = track.status.elapsed;
    // Cheap business-time tests first; the calendar is asked for an instant only when a
    // threshold really falls inside this stretch.
    const Millis warn = warning_threshold(*target);
    if (!track.warned_at && elapsed + delta >= warn) {
      const Millis at = calendar_.add_business_time(track.checkpoint, warn - elapsed);
      if (at <= to) track.warned_at = at;
    }
    if (!track.status.breached_at && elapsed + delta >= *target) {
      const Millis due = calendar_.add_business_time(track.checkpoint, *target - elapsed);
      if (due < to) track.status.breached_at = due;  // a reply exactly at due_at is in time
    }
  }

  void finish_metric(MetricTrack& track, Millis now) {
    auto& status = track.status;
    status.remaining.reset();
    status.due_at.reset();
    status.warning_at.reset();
    if (status.target) status.remaining = *status.target - status.elapsed;
    if (!track.active()) return;
    if (pause_ == SlaPauseState::kPaused) {
      status.state = SlaMetricState::kPaused;
      return;
    }
    if (!status.target) return;
    const Millis left = *status.remaining;
    status.due_at =
        left > 0 ? calendar_.add_business_time(now, left) : status.breached_at.value_or(now);
    const Millis warn_left = warning_threshold(*status.target) - status.elapsed;
    status.warning_at = track.warned_at ? *track.warned_at
                        : warn_left > 0 ? calendar_.add_business_time(now, warn_left)
                                        : now;
  }

  const BusinessCalendar& calendar_;
  SlaClockOptions options_;
  std::array<MetricTrack, 3> tracks_;
  std::int64_t policy_id_ = 0;
  SlaPauseState pause_ = SlaPauseState::kRunning;
  Millis paused_since_ = 0;
  Millis paused_total_ = 0;
  bool solved_ = false;
  bool first_response_given_ = false;
};

}  // namespace

Result<SlaStatus> compute_sla(const BusinessCalendar& calendar, const SlaPolicy& policy,
                              std::span<const SlaEvent> events, Millis now,
                              SlaClockOptions options) {
  GONGDAN_TRY(check_targets(policy.targets, "policy.targets"));
  if (options.warning_lead < 0) {
    return fail(ErrorCode::kInvalidArgument, "the warning lead cannot be negative", "warning_lead");
  }
  SlaReplay replay(calendar, policy, options);
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& event = events[i];
    const std::string field = fmt::format("events[{}]", i);
    if (i == 0 && event.kind != SlaEventKind::kCreated) {
      return fail(ErrorCode::kInvalidArgument, "the first event must be the ticket's creation",
                  field);
    }
    if (i > 0 && event.kind == SlaEventKind::kCreated) {
      return fail(ErrorCode::kInvalidArgument, "a ticket is created only once", field);
    }
    if (i > 0 && event.at < events[i - 1].at) {
      return fail(ErrorCode::kInvalidArgument, "events must be in time order", field);
    }
    if (event.kind == SlaEventKind::kPolicyChanged) {
      if (!event.policy) {
        return fail(ErrorCode::kInvalidArgument, "a policy change must name the new policy", field);
      }
      GONGDAN_TRY(check_targets(event.policy->targets, field + ".policy.targets"));
    }
    if (event.at > now) break;  // the future is not counted yet

    replay.advance(event.at);
    switch (event.kind) {
      case SlaEventKind::kCreated:
        replay.first_response().start(event.at);
        replay.resolution().start(event.at);
        break;
      case SlaEventKind::kPaused:
        replay.pause(event.at);
        break;
      case SlaEventKind::kResumed:
        replay.resume(event.at);
        break;
      case SlaEventKind::kAgentPublicReply:
        replay.agent_reply(event.at);
        break;
      case SlaEventKind::kCustomerReply:
        replay.customer_reply(event.at);
        break;
      case SlaEventKind::kSolved:
        replay.solve(event.at);
        break;
      case SlaEventKind::kReopened:
        replay.reopen(event.at);
        break;
      case SlaEventKind::kPolicyChanged:
        replay.set_policy(*event.policy);
        break;
    }
  }
  replay.advance(now);
  return replay.finish(now);
}

}  // namespace gongdan
