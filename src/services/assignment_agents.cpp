// Agents' side of automatic assignment: skills, availability and working hours, and the jobs
// their changes cause (pickup when an agent comes online or their load drops, reassignment when
// they go offline).
#include <fmt/format.h>
#include <algorithm>

#include <boost/json.hpp>

#include "domain/skills.hpp"
#include "services/assignment_service.hpp"
#include "services/audit.hpp"
#include "services/job_kinds.hpp"
#include "services/resource_load.hpp"
#include "services/tickets_service.hpp"
#include "store/assignment_store.hpp"
#include "store/database.hpp"
#include "store/tickets_store.hpp"
#include "store/users_store.hpp"
#include "util/json_members.hpp"

namespace gongdan::services {
namespace {

// Tickets one job handles; a job that fills its batch enqueues the next.
constexpr int kAssignmentBatch = 200;

bool is_self(const Principal& who, std::int64_t agent_id) { return who.user.id == agent_id; }

}  // namespace

Result<void> AssignmentService::check_agent(store::Connection& c, std::int64_t agent_id) {
  GONGDAN_ASSIGN(auto user, store::find_user(c, agent_id));
  if (!user || !is_agent_role(user->role)) return fail(ErrorCode::kNotFound, "no such agent");
  return {};
}

Result<AgentAvailability> AssignmentService::read_availability(store::Connection& c,
                                                               std::int64_t agent_id, Millis now) {
  GONGDAN_ASSIGN(auto row, store::find_availability(c, agent_id));
  AgentAvailability out;
  out.agent_id = agent_id;
  out.status = parse_availability(row.status).value_or(Availability::kOffline);
  out.calendar_id = row.calendar_id;
  out.updated_at = row.updated_at;
  GONGDAN_ASSIGN(out.working_now, working_at(c, row.calendar_id, now));
  out.assignable = out.status == Availability::kOnline && out.working_now;
  return out;
}

Result<std::vector<std::string>> AssignmentService::skills(const Principal& who,
                                                           std::int64_t agent_id) {
  if (!who.is_agent()) return fail(ErrorCode::kPermissionDenied, "only agents may see skills");
  return store::read_value(db_, [&](store::Connection& c) -> Result<std::vector<std::string>> {
    GONGDAN_TRY(check_agent(c, agent_id));
    GONGDAN_ASSIGN(auto out, store::agent_skills(c, agent_id));
    std::sort(out.begin(), out.end());
    return out;
  });
}

Result<std::vector<std::string>> AssignmentService::set_skills(
    const Principal& who, std::int64_t agent_id, const std::vector<std::string>& skills) {
  GONGDAN_TRY(require(who, Permission::kManageUsers, "set agents' skills"));
  GONGDAN_ASSIGN(auto normal, normalize_skills(skills));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  for (std::size_t i = 0; i < normal.size(); ++i) {
    auto key = skill_field_key(normal[i]);
    if (key.empty()) continue;
    bool known = std::any_of(catalog->fields.begin(), catalog->fields.end(),
                             [&](const auto& f) { return f.key == key; });
    if (!known)
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("no custom field has the key \"{}\"", key), "skills");
  }
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_TRY(check_agent(c, agent_id));
    GONGDAN_TRY(store::replace_agent_skills(c, agent_id, normal));
    // A new skill may let this agent take tickets nobody could: look at the waiting ones.
    const Millis now = clock_.now_ms();
    GONGDAN_TRY(enqueue(c, "pickup", agent_id, fmt::format("skills_changed agent={}", agent_id),
                        now, fmt::format("assignment:skills:{}:{}", agent_id, now)));
    return record_audit(c, now, actor_id(who), "agent.skills", "user:" + std::to_string(agent_id),
                        who.ip);
  }));
  return normal;
}

Result<AgentAvailability> AssignmentService::availability(const Principal& who,
                                                          std::int64_t agent_id) {
  if (!who.is_agent())
    return fail(ErrorCode::kPermissionDenied, "only agents may see availability");
  return store::read_value(db_, [&](store::Connection& c) -> Result<AgentAvailability> {
    GONGDAN_TRY(check_agent(c, agent_id));
    return read_availability(c, agent_id, clock_.now_ms());
  });
}

Result<AgentAvailability> AssignmentService::set_availability(const Principal& who,
                                                              std::int64_t agent_id,
                                                              const AvailabilityChange& change) {
  if (!who.is_agent())
    return fail(ErrorCode::kPermissionDenied, "only agents have an availability");
  if (!is_self(who, agent_id) && !who.can(Permission::kManageUsers))
    return fail(ErrorCode::kPermissionDenied, "agents may set only their own availability");
  AgentAvailability out;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_TRY(check_agent(c, agent_id));
    const Millis now = clock_.now_ms();
    GONGDAN_ASSIGN(auto before, store::find_availability(c, agent_id));
    store::AvailabilityRow row = before;
    if (change.status) row.status = std::string(availability_name(*change.status));
    if (change.calendar_id) {
      row.calendar_id = *change.calendar_id;
      if (row.calendar_id) {
        GONGDAN_ASSIGN(auto cal, calendar(c, *row.calendar_id));
        if (!cal) return fail(ErrorCode::kInvalidArgument, "no such calendar", "calendar");
      }
    }
    row.updated_at = now;
    GONGDAN_TRY(store::put_availability(c, row));
    const bool came_online = row.status == "online" &&
                             (before.status != "online" || row.calendar_id != before.calendar_id);
    if (came_online)
      GONGDAN_TRY(enqueue(c, "pickup", agent_id, fmt::format("agent_online agent={}", agent_id),
                          now, fmt::format("assignment:online:{}:{}", agent_id, now)));
    if (row.status == "offline" && before.status != "offline")
      GONGDAN_TRY(enqueue(c, "reassign", agent_id, "", now,
                          fmt::format("assignment:offline:{}:{}", agent_id, now)));
    GONGDAN_TRY(record_audit(c, now, actor_id(who), "agent.availability",
                             "user:" + std::to_string(agent_id), who.ip,
                             boost::json::serialize(boost::json::object{{"status", row.status}})));
    GONGDAN_ASSIGN(out, read_availability(c, agent_id, now));
    return {};
  }));
  return out;
}

Result<void> AssignmentService::enqueue(store::Connection& c, std::string_view action,
                                        std::int64_t agent_id, std::string_view why, Millis run_at,
                                        std::string key) {
  NewJob job;
  job.kind = std::string(kAssignmentJob);
  job.payload = boost::json::serialize(
      boost::json::object{{"action", action}, {"agent_id", agent_id}, {"why", why}});
  job.run_at = run_at;
  job.idempotency_key = std::move(key);
  GONGDAN_TRY(jobs_.enqueue(c, job));
  return {};
}

Result<void> AssignmentService::schedule_shift(store::Connection& c, std::int64_t agent_id,
                                               const BusinessCalendar& cal, Millis now) {
  const Millis next = next_shift_start(cal, now);
  return enqueue(c, "pickup", agent_id, fmt::format("hours_began agent={}", agent_id), next,
                 fmt::format("assignment:shift:{}:{}", agent_id, next));
}

Result<void> AssignmentService::pickup(store::Connection& c, const Catalog& catalog,
                                       std::int64_t agent_id, const std::string& why) {
  const Millis now = clock_.now_ms();
  GONGDAN_ASSIGN(auto row, store::find_availability(c, agent_id));
  if (row.status == "online" && row.calendar_id) {
    GONGDAN_ASSIGN(auto cal, calendar(c, *row.calendar_id));
    if (cal) GONGDAN_TRY(schedule_shift(c, agent_id, *cal, now));
  }
  GONGDAN_ASSIGN(auto settings, cached(c));
  GONGDAN_ASSIGN(auto departments, store::agent_department_ids(c, agent_id));
  bool more = false;
  for (auto department_id : departments) {
    auto it = settings->find(department_id);
    if (it == settings->end()) continue;
    GONGDAN_ASSIGN(auto ids, store::waiting_ticket_ids(c, department_id, kAssignmentBatch));
    std::size_t done = 0;
    for (auto id : ids) {
      GONGDAN_ASSIGN(auto ticket, store::find_ticket(c, id));
      if (!ticket || ticket->assignee_id || !is_unsolved(ticket->category)) continue;
      GONGDAN_ASSIGN(auto choice, assign(c, *ticket, why));
      if (!choice) {
        // Nobody can take this one; under skill based a later ticket may need other skills.
        if (it->second.mode != AssignmentMode::kSkillBased) break;
        continue;
      }
      GONGDAN_TRY(tickets_->apply_assignment(c, catalog, *ticket, choice, ""));
      ++done;
    }
    more = more || (ids.size() == static_cast<std::size_t>(kAssignmentBatch) && done == ids.size());
  }
  if (more)
    GONGDAN_TRY(enqueue(c, "pickup", agent_id, why, now,
                        fmt::format("assignment:more:{}:{}", agent_id, now)));
  return {};
}

Result<void> AssignmentService::reassign(store::Connection& c, const Catalog& catalog,
                                         std::int64_t agent_id) {
  const Millis now = clock_.now_ms();
  GONGDAN_ASSIGN(auto row, store::find_availability(c, agent_id));
  if (row.status != "offline") return {};  // back already
  const std::string why = fmt::format("offline_reassign agent={}", agent_id);
  GONGDAN_ASSIGN(auto settings, load_all(c, assignment_settings_resource()));
  bool more = false;
  for (const auto& s : settings) {
    if (!s.reassign_offline) continue;
    GONGDAN_ASSIGN(auto ids,
                   store::agent_open_ticket_ids(c, agent_id, s.department_id, kAssignmentBatch));
    for (auto id : ids) {
      GONGDAN_ASSIGN(auto ticket, store::find_ticket(c, id));
      if (!ticket || ticket->assignee_id != agent_id || !is_unsolved(ticket->category)) continue;
      Ticket waiting = *ticket;
      waiting.assignee_id.reset();
      GONGDAN_ASSIGN(auto choice, assign(c, waiting, why));
      GONGDAN_TRY(tickets_->apply_assignment(c, catalog, *ticket, choice, "queued; " + why));
    }
    more = more || ids.size() == static_cast<std::size_t>(kAssignmentBatch);
  }
  if (more)
    GONGDAN_TRY(enqueue(c, "reassign", agent_id, "", now,
                        fmt::format("assignment:offline-more:{}:{}", agent_id, now)));
  return {};
}

Result<void> AssignmentService::run_job(std::string_view payload) {
  const JsonMembers job(payload);
  const auto action = job.text("action");
  const auto agent = job.integer("agent_id");
  const auto why = job.text("why");
  if (!action || !agent || !why) return fail(ErrorCode::kInvalidArgument, "not an assignment job");
  if (!tickets_) return fail(ErrorCode::kInternal, "assignment has no tickets service");
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  const std::int64_t agent_id = *agent;
  const std::string& reason = *why;
  if (*action == "pickup")
    return db_.write([&](store::Connection& c) { return pickup(c, *catalog, agent_id, reason); });
  if (*action == "reassign")
    return db_.write([&](store::Connection& c) { return reassign(c, *catalog, agent_id); });
  return fail(ErrorCode::kInvalidArgument, "unknown assignment action");
}

}  // namespace gongdan::services
