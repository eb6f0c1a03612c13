// Automatic assignment per department (manual, round robin, least loaded, skill based, with a
// per-agent cap of open tickets and the reassign-when-offline option), agents' skills and
// availability (online, away, offline; optional working hours from a business calendar).
// Choosing runs inside the ticket command's write, so concurrent creates are decided one after
// another by the single writer and stay fair. Pickups (an agent comes online, an agent's load
// drops) and reassignments (an agent goes offline) are jobs enqueued in the write that causes
// them, so they survive a crash; they read waiting tickets through an index, oldest first.
// Settings are cached: a department without automatic assignment costs no query.
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "domain/assignment.hpp"
#include "domain/business_calendar.hpp"
#include "services/directory.hpp"
#include "services/job_queue.hpp"
#include "services/principal.hpp"
#include "services/resource_service.hpp"
#include "services/shared_cache.hpp"
#include "services/store_fwd.hpp"
#include "services/ticket_hooks.hpp"

namespace gongdan::services {

class TicketsService;

const Resource<AssignmentSettings>& assignment_settings_resource();

struct AgentAvailability {
  std::int64_t agent_id = 0;
  Availability status = Availability::kOnline;
  std::optional<std::int64_t> calendar_id;  // working hours; none: around the clock
  bool working_now = true;                  // inside the working hours
  bool assignable = true;                   // online and working: gets automatic assignments
  Millis updated_at = 0;
};

struct AvailabilityChange {
  std::optional<Availability> status;
  std::optional<std::optional<std::int64_t>> calendar_id;
};

class AssignmentService final : public Assigner {
 public:
  AssignmentService(store::Database& db, const Clock& clock, Directory& directory, JobQueue& jobs)
      : db_(db), clock_(clock), directory_(directory), jobs_(jobs) {}
  // Set once at start-up: pickups and reassignments save tickets through it.
  void set_tickets(TicketsService* tickets) { tickets_ = tickets; }

  // Declares each department's settings (services/assignment_settings.cpp).
  void add_to(Resources& resources);

  // Agents read anyone's skills and availability; admins set skills; an agent sets their own
  // availability, admins anyone's.
  Result<std::vector<std::string>> skills(const Principal& who, std::int64_t agent_id);
  Result<std::vector<std::string>> set_skills(const Principal& who, std::int64_t agent_id,
                                              const std::vector<std::string>& skills);
  Result<AgentAvailability> availability(const Principal& who, std::int64_t agent_id);
  Result<AgentAvailability> set_availability(const Principal& who, std::int64_t agent_id,
                                             const AvailabilityChange& change);

  // Assigner
  Result<std::optional<AssignmentChoice>> assign(
      store::Connection& c, const Ticket& ticket, std::string_view why,
      std::optional<AssignmentMode> mode = std::nullopt) override;
  Result<void> on_load_drop(store::Connection& c, std::int64_t agent_id, Millis now) override;

  // The kAssignmentJob handler: {"action": "pickup" | "reassign", "agent_id": n, "why": "..."}.
  // kInvalidArgument means the payload can never work.
  Result<void> run_job(std::string_view payload);

 private:
  using Settings = std::shared_ptr<const std::map<std::int64_t, AssignmentSettings>>;
  Result<Settings> cached(store::Connection& c);
  Result<std::optional<BusinessCalendar>> calendar(store::Connection& c, std::int64_t id);
  Result<bool> working_at(store::Connection& c, const std::optional<std::int64_t>& calendar_id,
                          Millis now);
  Result<AgentAvailability> read_availability(store::Connection& c, std::int64_t agent_id,
                                              Millis now);
  Result<void> check_agent(store::Connection& c, std::int64_t agent_id);
  Result<void> enqueue(store::Connection& c, std::string_view action, std::int64_t agent_id,
                       std::string_view why, Millis run_at, std::string key);
  // After a pickup for an agent with working hours: the next pickup at their next shift.
  Result<void> schedule_shift(store::Connection& c, std::int64_t agent_id,
                              const BusinessCalendar& cal, Millis now);
  Result<void> pickup(store::Connection& c, const Catalog& catalog, std::int64_t agent_id,
                      const std::string& why);
  Result<void> reassign(store::Connection& c, const Catalog& catalog, std::int64_t agent_id);

  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  JobQueue& jobs_;
  TicketsService* tickets_ = nullptr;
  // Departments with automatic assignment only.
  SharedCache<std::map<std::int64_t, AssignmentSettings>> settings_{directory_.settings_version()};
  std::mutex mutex_;
  std::map<std::int64_t, std::pair<std::string, BusinessCalendar>> calendars_;  // by id; mutex_
};

}  // namespace gongdan::services
