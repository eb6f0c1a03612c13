#include "services/assignment_service.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "domain/skills.hpp"
#include "services/audit.hpp"
#include "services/resource_load.hpp"
#include "services/sla_resources.hpp"
#include "store/assignment_store.hpp"
#include "store/database.hpp"
#include "store/users_store.hpp"

namespace gongdan::services {

Result<AssignmentService::Settings> AssignmentService::cached(store::Connection& c) {
  return settings_.get([&]() -> Result<Settings> {
    GONGDAN_ASSIGN(auto all, load_all(c, assignment_settings_resource()));
    auto map = std::make_shared<std::map<std::int64_t, AssignmentSettings>>();
    for (auto& s : all)
      if (s.mode != AssignmentMode::kManual) (*map)[s.department_id] = std::move(s);
    return Settings{map};
  });
}

Result<std::optional<BusinessCalendar>> AssignmentService::calendar(store::Connection& c,
                                                                    std::int64_t id) {
  GONGDAN_ASSIGN(auto item, load_one(c, calendar_resource(), id));
  if (!item) return std::optional<BusinessCalendar>{};
  const std::string spec = boost::json::serialize(item->spec);
  std::lock_guard lock(mutex_);
  auto it = calendars_.find(id);
  if (it != calendars_.end() && it->second.first == spec)
    return std::optional<BusinessCalendar>(it->second.second);
  auto parsed = parse_business_calendar(spec);
  if (!parsed) return std::optional<BusinessCalendar>{};  // stored calendars were validated
  calendars_.insert_or_assign(id, std::pair{spec, *parsed});
  return std::optional<BusinessCalendar>(*parsed);
}

Result<bool> AssignmentService::working_at(store::Connection& c,
                                           const std::optional<std::int64_t>& calendar_id,
                                           Millis now) {
  if (!calendar_id) return true;
  GONGDAN_ASSIGN(auto cal, calendar(c, *calendar_id));
  return !cal || cal->is_working_time(now);
}

Result<std::optional<AssignmentChoice>> AssignmentService::assign(
    store::Connection& c, const Ticket& ticket, std::string_view why,
    std::optional<AssignmentMode> mode) {
  if (!ticket.department_id) return std::optional<AssignmentChoice>{};
  const std::int64_t department_id = *ticket.department_id;
  GONGDAN_ASSIGN(auto settings, cached(c));
  auto it = settings->find(department_id);
  if (it == settings->end() && !mode) return std::optional<AssignmentChoice>{};
  // A trigger's strategy keeps the department's cap; a department without settings has none.
  AssignmentSettings s = it != settings->end() ? it->second : AssignmentSettings{};
  if (mode) s.mode = *mode;
  const Millis now = clock_.now_ms();
  // Writers running side by side (PostgreSQL) choose for one department one after another: the
  // pointer's row is locked before the loads are read, and the choice sees the one before it.
  GONGDAN_ASSIGN(auto last_agent_id, store::lock_assignment_pointer(c, department_id));
  GONGDAN_ASSIGN(auto loads, store::department_agent_loads(c, department_id));
  std::vector<AssignmentCandidate> candidates;
  for (const auto& l : loads) {
    AssignmentCandidate candidate{l.agent_id, l.open_tickets, l.availability == "online", {}};
    if (candidate.available && l.calendar_id) {
      GONGDAN_ASSIGN(candidate.available, working_at(c, l.calendar_id, now));
    }
    candidates.push_back(std::move(candidate));
  }
  AssignmentRequest request{s.mode, s.max_open_per_agent, std::nullopt, {}};
  if (s.mode == AssignmentMode::kSkillBased) {
    GONGDAN_ASSIGN(auto rows, store::department_skills(c, department_id));
    std::vector<std::string> vocabulary;
    for (const auto& row : rows) {
      // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
      const std::int64_t agent_id = row.first;
      const std::string& skill = row.second;
      vocabulary.push_back(skill);
      auto who = std::find_if(candidates.begin(), candidates.end(),
                              [&](const auto& x) { return x.agent_id == agent_id; });
      if (who != candidates.end()) who->skills.push_back(skill);
    }
    // Byte order, as covers_skills needs (the database's collation may differ).
    for (auto& candidate : candidates) std::sort(candidate.skills.begin(), candidate.skills.end());
    std::sort(vocabulary.begin(), vocabulary.end());
    vocabulary.erase(std::unique(vocabulary.begin(), vocabulary.end()), vocabulary.end());
    std::string language = "en";
    GONGDAN_ASSIGN(auto requester, store::find_user(c, ticket.requester_id));
    if (requester) language = requester->locale;
    request.required = skill_requirements(
        ticket_skill_facts(language, ticket.type, ticket.tags, ticket.custom_fields), vocabulary);
  }
  // The pointer lives in the database so it survives restarts and sees earlier writes of this
  // batch.
  if (s.mode == AssignmentMode::kRoundRobin || s.mode == AssignmentMode::kSkillBased)
    request.last_agent_id = last_agent_id;
  auto choice = choose_assignee(request, candidates);
  if (!choice) return choice;
  if (s.mode == AssignmentMode::kRoundRobin || s.mode == AssignmentMode::kSkillBased)
    GONGDAN_TRY(store::set_last_assigned(c, department_id, choice->agent_id, now));
  if (!why.empty()) choice->reason += "; " + std::string(why);
  return choice;
}

Result<void> AssignmentService::on_load_drop(store::Connection& c, std::int64_t agent_id,
                                             Millis now) {
  GONGDAN_ASSIGN(auto settings, cached(c));
  if (settings->empty()) return {};
  GONGDAN_ASSIGN(auto available, read_availability(c, agent_id, now));
  if (!available.assignable) return {};
  GONGDAN_ASSIGN(auto departments, store::agent_department_ids(c, agent_id));
  for (auto id : departments) {
    if (!settings->contains(id)) continue;
    GONGDAN_ASSIGN(bool waiting, store::has_waiting_tickets(c, id));
    if (waiting)
      return enqueue(c, "pickup", agent_id, fmt::format("load_dropped agent={}", agent_id), now,
                     fmt::format("assignment:load:{}:{}", agent_id, now));
  }
  return {};
}

}  // namespace gongdan::services
