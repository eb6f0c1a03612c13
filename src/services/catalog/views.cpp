// Saved views: a named ticket filter and order, an agent's own or shared by an admin. Each has a
// ticket counter kept by the ticket commands; saving a view counts it once, inside the same
// write, while other writers wait (Directory::note_views_changed_in_write), so no ticket
// written beside it is missed.
#include "services/catalog/catalog_resources.hpp"
#include "services/directory.hpp"
#include "store/tickets_store.hpp"

namespace gongdan::services {
namespace {

Result<SavedView> compiled(const View& v, const Catalog& catalog) {
  const std::string filters = boost::json::serialize(v.filters);
  GONGDAN_ASSIGN(auto filter, parse_filter_json(filters, catalog));
  return SavedView{v.id,    v.name, v.owner_id, std::move(filter),
                   filters, v.sort, v.columns,  v.position};
}

Result<void> recount(store::Connection& c, const SavedView& view) {
  const auto key = saved_view_key(view.id);
  auto filter = view.owner_id ? view.filter.for_viewer(*view.owner_id) : view.filter;
  std::int64_t wanted = 0;
  if (!filter.uses_me()) {
    GONGDAN_ASSIGN(wanted, store::count_matching(c, filter));
  }
  GONGDAN_ASSIGN(auto stored, store::read_counts(c, {key}));
  // Writes earlier in this batch have not stored their counter changes yet.
  c.add_count(key, wanted - stored[key] - c.pending_count(key));
  return {};
}

}  // namespace

const Resource<View>& view_resource() {
  static const Resource<View> r = declare<View>(
      resource_info("views", "view", {"Views", "视图"}, "views")
          .table("saved_views")
          .order_by("position, id")
          .written_by(Audience::kAgents)
          .personal()
          .ops({.list = false, .remove = true}),
      {field_of(&View::id, id_field()), field_of(&View::name, name_field(100)),
       unheld<View>(shared_field()), field_of(&View::owner_id, owner_field()),
       field_of(&View::filters,
                json_field("filters", {"Filters", "筛选条件"})
                    .schema(R"({"type": "object"})",
                            R"({"status_category": ["open"], "assignee": ["me"]})")),
       field_of(&View::sort, choice_field("sort", {"Order", "排序方式"},
                                          {"-updated_at", "updated_at", "-created_at", "created_at",
                                           "-priority"})),
       field_of(&View::columns,
                list_field("columns", {"Columns", "列"},
                           {"The inbox's columns for this view, in order; empty: "
                            "the default. The subject (the ticket's link) is "
                            "always shown, first when not listed.",
                            "收件箱中此视图的列及其顺序；留空则用默认列。主题（工单"
                            "链接）总会显示，未列出时排在最前。"})
                    .choices({"number", "subject", "requester", "status", "priority", "type",
                              "assignee", "department", "sla", "created_at", "updated_at"})),
       field_of(&View::position, position_field()),
       field_of(&View::created_at, time_field("created_at"))});
  return r;
}

void add_views(Resources& resources, Directory& directory) {
  Hooks<View> hooks;
  hooks.check = item_check<View>([&directory](View& v) -> Result<void> {
    GONGDAN_ASSIGN(auto catalog, directory.catalog());
    GONGDAN_TRY(compiled(v, *catalog));
    return {};
  });
  hooks.before_write = [&directory] { directory.begin_views_change(); };
  hooks.after_write = [&directory] { directory.end_views_change(); };
  hooks.written = [&directory](store::Connection& c, const View& v, Change change) -> Result<void> {
    GONGDAN_TRY(directory.note_views_changed_in_write(c));
    if (change == Change::kRemove) return store::drop_count(c, saved_view_key(v.id));
    GONGDAN_ASSIGN(auto catalog, directory.catalog());
    GONGDAN_ASSIGN(auto view, compiled(v, *catalog));
    return recount(c, view);
  };
  resources.add(view_resource(), std::move(hooks));
}

}  // namespace gongdan::services
