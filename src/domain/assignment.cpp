#include "domain/assignment.hpp"

#include <fmt/format.h>

namespace gongdan {

std::optional<AssignmentMode> parse_assignment_mode(std::string_view name) {
  if (name == "manual") return AssignmentMode::kManual;
  if (name == "round_robin") return AssignmentMode::kRoundRobin;
  if (name == "least_loaded") return AssignmentMode::kLeastLoaded;
  return std::nullopt;
}

std::string_view assignment_mode_name(AssignmentMode mode) {
  switch (mode) {
    case AssignmentMode::kManual:
      return "manual";
    case AssignmentMode::kRoundRobin:
      return "round_robin";
    case AssignmentMode::kLeastLoaded:
      return "least_loaded";
  }
  return "manual";
}

std::optional<AssignmentChoice> choose_assignee(AssignmentMode mode,
                                                std::span<const AssignmentCandidate> candidates,
                                                std::optional<std::int64_t> cap,
                                                std::optional<std::int64_t> last_agent_id) {
  auto eligible = [&](const AssignmentCandidate& c) { return !cap || c.open_tickets < *cap; };
  const std::string cap_text = cap ? fmt::format(", cap {}", *cap) : std::string();
  if (mode == AssignmentMode::kRoundRobin) {
    const AssignmentCandidate* first = nullptr;
    const AssignmentCandidate* next = nullptr;
    for (const auto& c : candidates) {
      if (!eligible(c)) continue;
      if (!first) first = &c;
      if (!next && (!last_agent_id || c.agent_id > *last_agent_id)) next = &c;
    }
    const auto* chosen = next ? next : first;
    if (!chosen) return std::nullopt;
    return AssignmentChoice{
        chosen->agent_id,
        fmt::format("round robin: next in turn{} ({} open ticket(s){})",
                    last_agent_id ? fmt::format(" after agent {}", *last_agent_id) : "",
                    chosen->open_tickets, cap_text)};
  }
  if (mode == AssignmentMode::kLeastLoaded) {
    const AssignmentCandidate* best = nullptr;
    for (const auto& c : candidates)
      if (eligible(c) && (!best || c.open_tickets < best->open_tickets)) best = &c;
    if (!best) return std::nullopt;
    return AssignmentChoice{best->agent_id, fmt::format("least loaded: {} open ticket(s){}",
                                                        best->open_tickets, cap_text)};
  }
  return std::nullopt;
}

}  // namespace gongdan
