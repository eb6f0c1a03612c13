// Automatic assignment per department (manual, round robin, least loaded, with a per-agent cap
// of open tickets). Run inside the ticket command's write, so concurrent creates are decided
// one after another by the single writer and stay fair. Settings are cached: a department
// without automatic assignment costs no query.
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "domain/assignment.hpp"
#include "services/directory.hpp"
#include "services/principal.hpp"
#include "services/ticket_hooks.hpp"
#include "store/assignment_store.hpp"

namespace gongdan::services {

struct AssignmentSettings {
  AssignmentMode mode = AssignmentMode::kManual;
  std::optional<std::int64_t> max_open_per_agent;
};

class AssignmentService final : public Assigner {
 public:
  AssignmentService(store::Database& db, const Clock& clock, Directory& directory)
      : db_(db), clock_(clock), directory_(directory) {}

  Result<AssignmentSettings> settings(const Principal& who, std::int64_t department_id);
  Result<AssignmentSettings> set_settings(const Principal& who, std::int64_t department_id,
                                          const AssignmentSettings& in);

  // Assigner: the agent for a ticket entering `department_id` without an assignee.
  Result<std::optional<AssignmentChoice>> assign(store::Connection& c,
                                                 std::int64_t department_id) override;

 private:
  using Settings = std::shared_ptr<const std::map<std::int64_t, AssignmentSettings>>;
  Result<Settings> cached(store::Connection& c);
  void invalidate();

  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  std::mutex mutex_;
  Settings settings_;  // guarded by mutex_; departments with automatic assignment only
};

}  // namespace gongdan::services
