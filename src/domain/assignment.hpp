// Choosing an agent for a new ticket of a department: round robin (the next agent after the
// last one chosen, by id, wrapping) or least loaded (fewest open tickets, lowest id on a tie),
// both skipping agents at the department's cap of open tickets. Pure: the caller supplies the
// candidates and their loads, and stores the choice.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gongdan {

enum class AssignmentMode { kManual, kRoundRobin, kLeastLoaded };

std::optional<AssignmentMode> parse_assignment_mode(std::string_view name);
std::string_view assignment_mode_name(AssignmentMode mode);

struct AssignmentCandidate {
  std::int64_t agent_id = 0;
  std::int64_t open_tickets = 0;
};

struct AssignmentChoice {
  std::int64_t agent_id = 0;
  std::string reason;  // for the ticket's history
};

// Candidates sorted by agent id. Nothing when the mode is manual or everyone is at the cap.
std::optional<AssignmentChoice> choose_assignee(AssignmentMode mode,
                                                std::span<const AssignmentCandidate> candidates,
                                                std::optional<std::int64_t> cap,
                                                std::optional<std::int64_t> last_agent_id);

}  // namespace gongdan
