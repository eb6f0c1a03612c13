// Choosing an agent for a ticket of a department, among the available agents (online, inside
// their working hours) below the department's cap of open tickets:
// - round robin: the next agent after the last one chosen, by id, wrapping;
// - least loaded: fewest open tickets, lowest id on a tie;
// - skill based: only agents whose skills cover the ticket's requirements (domain/skills.hpp),
//   then the fewest open tickets, ties taken in round-robin order after the last one chosen.
// Pure: the caller supplies the candidates, their loads and availability, and stores the choice.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/business_calendar.hpp"
#include "util/clock.hpp"

namespace gongdan {

enum class AssignmentMode { kManual, kRoundRobin, kLeastLoaded, kSkillBased };

std::optional<AssignmentMode> parse_assignment_mode(std::string_view name);
std::string_view assignment_mode_name(AssignmentMode mode);

// How a department's new tickets are assigned. A department without its own is manual.
struct AssignmentSettings {
  std::int64_t department_id = 0;
  AssignmentMode mode = AssignmentMode::kManual;
  std::optional<std::int64_t> max_open_per_agent;  // none: no cap
  bool reassign_offline = false;  // an agent going offline hands their open tickets back
  Millis updated_at = 0;
};

// What an agent says about themselves; only online agents get automatic assignments.
enum class Availability { kOnline, kAway, kOffline };
std::optional<Availability> parse_availability(std::string_view name);
std::string_view availability_name(Availability a);

struct AssignmentCandidate {
  std::int64_t agent_id = 0;
  std::int64_t open_tickets = 0;
  bool available = true;            // online and inside working hours
  std::vector<std::string> skills;  // sorted; skill based only
};

struct AssignmentChoice {
  std::int64_t agent_id = 0;
  // For the ticket's history, as codes the desk words: how the agent was chosen
  // (`round_robin after=4 open=1 cap=5`, `least_loaded open=0`, `skill_based open=2
  // skills=language:zh-CN,tag:billing`); the services add why, after "; " (`ticket_created`,
  // `agent_online agent=4`, `trigger rule=<name>` …, see services/assignment_service.hpp).
  std::string reason;
  std::vector<std::string> matched_skills;
};

struct AssignmentRequest {
  AssignmentMode mode = AssignmentMode::kManual;
  std::optional<std::int64_t> cap;
  std::optional<std::int64_t> last_agent_id;
  std::vector<std::string> required;  // sorted skill requirements; skill based only
};

// Candidates sorted by agent id. Nothing when the mode is manual or nobody fits.
std::optional<AssignmentChoice> choose_assignee(const AssignmentRequest& request,
                                                std::span<const AssignmentCandidate> candidates);
std::optional<AssignmentChoice> choose_assignee(AssignmentMode mode,
                                                std::span<const AssignmentCandidate> candidates,
                                                std::optional<std::int64_t> cap,
                                                std::optional<std::int64_t> last_agent_id);

// When an agent with working hours next starts a shift after `now`: the start of the working
// span after the current one (or the next one, outside working hours). Gaps shorter than a
// quarter of an hour are not shifts.
Millis next_shift_start(const BusinessCalendar& calendar, Millis now);

}  // namespace gongdan
