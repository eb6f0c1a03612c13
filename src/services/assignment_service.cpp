#include "services/assignment_service.hpp"

#include "services/audit.hpp"

namespace gongdan::services {

Result<AssignmentService::Settings> AssignmentService::cached(store::Connection& c) {
  {
    std::lock_guard lock(mutex_);
    if (settings_) return settings_;
  }
  GONGDAN_ASSIGN(auto rows, store::list_assignment_settings(c));
  auto map = std::make_shared<std::map<std::int64_t, AssignmentSettings>>();
  for (const auto& row : rows) {
    auto mode = parse_assignment_mode(row.mode);
    if (!mode || *mode == AssignmentMode::kManual) continue;
    (*map)[row.department_id] = AssignmentSettings{*mode, row.max_open_per_agent};
  }
  Settings loaded = map;
  std::lock_guard lock(mutex_);
  settings_ = loaded;
  return loaded;
}

void AssignmentService::invalidate() {
  std::lock_guard lock(mutex_);
  settings_.reset();
}

Result<std::optional<AssignmentChoice>> AssignmentService::assign(store::Connection& c,
                                                                  std::int64_t department_id) {
  GONGDAN_ASSIGN(auto settings, cached(c));
  auto it = settings->find(department_id);
  if (it == settings->end()) return std::optional<AssignmentChoice>{};
  GONGDAN_ASSIGN(auto loads, store::department_agent_loads(c, department_id));
  std::vector<AssignmentCandidate> candidates;
  for (const auto& l : loads) candidates.push_back({l.agent_id, l.open_tickets});
  std::optional<std::int64_t> last;
  if (it->second.mode == AssignmentMode::kRoundRobin) {
    // The pointer lives in the database so it survives restarts and sees earlier writes of
    // this batch.
    GONGDAN_ASSIGN(auto rows, store::list_assignment_settings(c));
    for (const auto& row : rows)
      if (row.department_id == department_id) last = row.last_agent_id;
  }
  auto choice = choose_assignee(it->second.mode, candidates, it->second.max_open_per_agent, last);
  if (choice && it->second.mode == AssignmentMode::kRoundRobin)
    GONGDAN_TRY(store::set_last_assigned(c, department_id, choice->agent_id));
  return choice;
}

Result<AssignmentSettings> AssignmentService::settings(const Principal& who,
                                                       std::int64_t department_id) {
  if (!who.is_agent()) return fail(ErrorCode::kPermissionDenied, "only agents may see this");
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  if (!catalog->department(department_id)) return fail(ErrorCode::kNotFound, "no such department");
  AssignmentSettings out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto rows, store::list_assignment_settings(c));
    for (const auto& row : rows)
      if (row.department_id == department_id)
        out = AssignmentSettings{parse_assignment_mode(row.mode).value_or(AssignmentMode::kManual),
                                 row.max_open_per_agent};
    return {};
  }));
  return out;
}

Result<AssignmentSettings> AssignmentService::set_settings(const Principal& who,
                                                           std::int64_t department_id,
                                                           const AssignmentSettings& in) {
  if (!who.is_admin()) return fail(ErrorCode::kPermissionDenied, "only admins may change settings");
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  if (!catalog->department(department_id)) return fail(ErrorCode::kNotFound, "no such department");
  if (in.max_open_per_agent && (*in.max_open_per_agent < 1 || *in.max_open_per_agent > 100000))
    return fail(ErrorCode::kInvalidArgument, "must be 1 to 100000 or null", "max_open_per_agent");
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    store::AssignmentRow row;
    row.department_id = department_id;
    row.mode = std::string(assignment_mode_name(in.mode));
    row.max_open_per_agent = in.max_open_per_agent;
    row.updated_at = clock_.now_ms();
    GONGDAN_TRY(store::put_assignment_setting(c, row));
    return record_audit(c, row.updated_at, actor_id(who), "department.assignment",
                        "department:" + std::to_string(department_id), who.ip);
  }));
  invalidate();
  return in;
}

}  // namespace gongdan::services
