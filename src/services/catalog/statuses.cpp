// Statuses: custom names (in both languages) for the six fixed categories a ticket moves
// through. A status keeps its category; every category keeps one active status.
#include "services/catalog/catalog_resources.hpp"
#include "services/directory.hpp"
#include "store/database.hpp"

namespace gongdan::services {

const Resource<Status>& status_resource() {
  static const Resource<Status> r = declare<Status>(
      resource_info("statuses", "status", {"Statuses", "状态"}, "settings")
          .order_by("position, id")
          .read_by(Audience::kSignedIn)
          .invalidates(Invalidates::kSettings),
      {field_of(&Status::id, id_field()), field_of(&Status::name, name_field(100)),
       field_of(&Status::name_zh, text_field("name_zh", {"Chinese name", "中文名称"})),
       field_of(&Status::category,
                choice_field("category", {"Category", "类别"},
                             {"new", "open", "pending", "on_hold", "solved", "closed"},
                             {"What the status means for SLAs, lists and automations.",
                              "状态对服务级别、列表和自动化的含义。"})
                    .required()
                    .create_only(),
                category_name, parse_category),
       field_of(&Status::position, position_field({}, "100")),
       field_of(&Status::active, active_field())});
  return r;
}

void add_statuses(Resources& resources, Directory& directory) {
  Hooks<Status> hooks;
  hooks.check = [&directory](store::Connection&, const Principal&, Status& s,
                             const Status* before) -> Result<void> {
    if (!before || s.active) return {};
    GONGDAN_ASSIGN(auto catalog, directory.catalog());
    for (const auto& other : catalog->statuses)
      if (other.id != s.id && other.active && other.category == s.category) return {};
    return fail(ErrorCode::kConflict, "every category needs at least one active status", "active");
  };
  resources.add(status_resource(), std::move(hooks));
}

}  // namespace gongdan::services
