#include "domain/assignment.hpp"

#include <fmt/format.h>

#include "domain/skills.hpp"
#include "util/enum_names.hpp"

namespace gongdan {

namespace {

constexpr Named<AssignmentMode> kModes[] = {{AssignmentMode::kManual, "manual"},
                                            {AssignmentMode::kRoundRobin, "round_robin"},
                                            {AssignmentMode::kLeastLoaded, "least_loaded"},
                                            {AssignmentMode::kSkillBased, "skill_based"}};
constexpr Named<Availability> kAvailabilities[] = {{Availability::kOnline, "online"},
                                                   {Availability::kAway, "away"},
                                                   {Availability::kOffline, "offline"}};

}  // namespace

std::optional<AssignmentMode> parse_assignment_mode(std::string_view name) {
  return value_in(kModes, name);
}
std::string_view assignment_mode_name(AssignmentMode mode) {
  return name_in(kModes, mode, "manual");
}

std::optional<Availability> parse_availability(std::string_view name) {
  return value_in(kAvailabilities, name);
}
std::string_view availability_name(Availability a) {
  return name_in(kAvailabilities, a, "offline");
}

std::optional<AssignmentChoice> choose_assignee(const AssignmentRequest& request,
                                                std::span<const AssignmentCandidate> candidates) {
  const auto& cap = request.cap;
  const auto& last_agent_id = request.last_agent_id;
  auto eligible = [&](const AssignmentCandidate& c) {
    if (!c.available || (cap && c.open_tickets >= *cap)) return false;
    return request.mode != AssignmentMode::kSkillBased || covers_skills(c.skills, request.required);
  };
  // Reasons are codes with arguments (`least_loaded open=0 cap=2`) that the desk words in the
  // reader's language; see AssignmentChoice.
  const std::string cap_text = cap ? fmt::format(" cap={}", *cap) : std::string();
  // Round-robin order: the first eligible agent after the last one chosen, else the first.
  auto next_in_turn = [&](auto&& also) -> const AssignmentCandidate* {
    const AssignmentCandidate* first = nullptr;
    const AssignmentCandidate* next = nullptr;
    for (const auto& c : candidates) {
      if (!eligible(c) || !also(c)) continue;
      if (!first) first = &c;
      if (!next && (!last_agent_id || c.agent_id > *last_agent_id)) next = &c;
    }
    return next ? next : first;
  };
  switch (request.mode) {
    case AssignmentMode::kManual:
      return std::nullopt;
    case AssignmentMode::kRoundRobin: {
      const auto* chosen = next_in_turn([](const AssignmentCandidate&) { return true; });
      if (!chosen) return std::nullopt;
      return AssignmentChoice{
          chosen->agent_id,
          fmt::format("round_robin{} open={}{}",
                      last_agent_id ? fmt::format(" after={}", *last_agent_id) : "",
                      chosen->open_tickets, cap_text),
          {}};
    }
    case AssignmentMode::kLeastLoaded: {
      const AssignmentCandidate* best = nullptr;
      for (const auto& c : candidates)
        if (eligible(c) && (!best || c.open_tickets < best->open_tickets)) best = &c;
      if (!best) return std::nullopt;
      return AssignmentChoice{
          best->agent_id, fmt::format("least_loaded open={}{}", best->open_tickets, cap_text), {}};
    }
    case AssignmentMode::kSkillBased: {
      std::optional<std::int64_t> lowest;
      for (const auto& c : candidates)
        if (eligible(c) && (!lowest || c.open_tickets < *lowest)) lowest = c.open_tickets;
      if (!lowest) return std::nullopt;
      const auto* chosen =
          next_in_turn([&](const AssignmentCandidate& c) { return c.open_tickets == *lowest; });
      // The skills come last: a skill may hold spaces (a custom field's value).
      const std::string matched = request.required.empty()
                                      ? ""
                                      : fmt::format(" skills={}", fmt::join(request.required, ","));
      return AssignmentChoice{
          chosen->agent_id,
          fmt::format("skill_based open={}{}{}", chosen->open_tickets, cap_text, matched),
          request.required};
    }
  }
  return std::nullopt;
}

Millis next_shift_start(const BusinessCalendar& calendar, Millis now) {
  constexpr Millis kStep = 15 * 60 * 1000;
  Millis t = now;
  // create() guarantees working time every week, so the loop ends within two weeks of steps.
  for (int i = 0; i < 14 * 96 && calendar.is_working_time(t); ++i) t += kStep;
  return calendar.next_working_moment(t);
}

std::optional<AssignmentChoice> choose_assignee(AssignmentMode mode,
                                                std::span<const AssignmentCandidate> candidates,
                                                std::optional<std::int64_t> cap,
                                                std::optional<std::int64_t> last_agent_id) {
  return choose_assignee(AssignmentRequest{mode, cap, last_agent_id, {}}, candidates);
}

}  // namespace gongdan
