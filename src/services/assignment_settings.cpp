// How each department's new tickets are assigned: the declared resource `assignment`, one per
// department (a department without its own is manual), read by agents and set by admins at
// /api/v1/departments/{id}/assignment.
#include "services/assignment_service.hpp"
#include "store/assignment_store.hpp"
#include "store/database.hpp"

namespace gongdan::services {

const Resource<AssignmentSettings>& assignment_settings_resource() {
  static const Resource<AssignmentSettings> r = declare<AssignmentSettings>(
      resource_info("assignment", "assignment", {"Automatic assignment", "自动分配"}, "settings")
          .path("/api/v1/departments/{id}/assignment")
          .table("department_assignment")
          .order_by("department_id")
          .invalidates(Invalidates::kSettings)
          .ops({.list = false, .create = false, .put = true})
          .keyed({.by = "departments", .column = "department_id"},
                 "/api/v1/departments/{id}/assignment"),
      {field_of(&AssignmentSettings::department_id, id_field("department").hidden()),
       field_of(&AssignmentSettings::mode,
                choice_field("mode", {"Mode", "方式"},
                             {"manual", "round_robin", "least_loaded", "skill_based"},
                             {"round_robin: agents take turns; least_loaded: the fewest open "
                              "tickets; skill_based: only agents with the skills a ticket needs.",
                              "round_robin：轮流；least_loaded：未结工单最少者；skill_based："
                              "仅限具备工单所需技能的客服。"})
                    .required(),
                assignment_mode_name, parse_assignment_mode),
       field_of(&AssignmentSettings::max_open_per_agent,
                integer_field("max_open_per_agent",
                              {"Open tickets per agent at most", "每位客服最多未结工单"},
                              {"None: no cap.", "不填：不设上限。"})
                    .nullable()
                    .range(1, 100000)),
       field_of(&AssignmentSettings::reassign_offline,
                switch_field("reassign_offline",
                             {"Reassign when an agent goes offline", "客服离线时重新分配"})),
       field_of(&AssignmentSettings::updated_at, time_field("updated_at").hidden())});
  return r;
}

void AssignmentService::add_to(Resources& resources) {
  Hooks<AssignmentSettings> hooks;
  hooks.written = [this](store::Connection& c, const AssignmentSettings&, Change) -> Result<void> {
    // Ticket writes later in this batch read the cache: drop it now, and again after the commit
    // (here only: the other nodes hear of it once, from the resource's invalidation).
    directory_.settings_changed_here();
    c.after_commit([this] { directory_.settings_changed_here(); });
    return {};
  };
  resources.add(assignment_settings_resource(), std::move(hooks));
}

}  // namespace gongdan::services
