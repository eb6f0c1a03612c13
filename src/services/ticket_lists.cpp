// Lists and view counts. Counts are read from counters kept by every ticket write; only shared
// views that mention "me" are counted on request.
#include "domain/narrowed_filter.hpp"
#include "services/tickets_service.hpp"
#include "store/tickets_store.hpp"

namespace gongdan::services {
namespace {

constexpr StatusCategory kUnsolved[] = {StatusCategory::kNew, StatusCategory::kOpen,
                                        StatusCategory::kPending, StatusCategory::kOnHold};
constexpr StatusCategory kActionable[] = {StatusCategory::kNew, StatusCategory::kOpen};

struct Builtin {
  std::string_view id;
  std::string_view name;
};
constexpr Builtin kBuiltins[] = {{"my_open", "My open tickets"},
                                 {"unassigned", "Unassigned in my departments"},
                                 {"all_open", "All open"},
                                 {"pending", "Pending"},
                                 {"recently_solved", "Recently solved"}};

std::vector<std::int64_t> visible_departments(const Viewer& v, const Catalog& catalog) {
  std::vector<std::int64_t> out{0};  // tickets without a department are visible to agents
  if (v.sees_all_departments()) {
    for (const auto& d : catalog.departments) out.push_back(d.id);
  } else {
    out.insert(out.end(), v.departments.begin(), v.departments.end());
  }
  return out;
}

}  // namespace

Result<TicketFilter> builtin_filter(std::string_view id, const Viewer& v, const Catalog& catalog) {
  TicketFilter f;
  if (id == "my_open") {
    f.assignees = {v.user_id};
    f.categories.assign(std::begin(kUnsolved), std::end(kUnsolved));
  } else if (id == "unassigned") {
    f.assignees = {0};
    f.categories.assign(std::begin(kActionable), std::end(kActionable));
    if (!v.sees_all_departments()) f.departments = visible_departments(v, catalog);
  } else if (id == "all_open") {
    f.categories.assign(std::begin(kActionable), std::end(kActionable));
  } else if (id == "pending") {
    f.categories = {StatusCategory::kPending, StatusCategory::kOnHold};
  } else if (id == "recently_solved") {
    f.categories = {StatusCategory::kSolved};
  } else {
    return fail(ErrorCode::kNotFound, "no such view", "view");
  }
  return f;
}

Result<TicketPage> TicketsService::list(const Principal& who, TicketListRequest request) {
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  store::TicketListQuery q;
  q.filter = request.filter.for_viewer(who.user.id);
  q.filter.sla_now = clock_.now_ms();
  // A view's filter, narrowed by the request's own filters (the desk's filter bar over it).
  std::optional<TicketFilter> view_filter;
  if (request.builtin_view) {
    if (!viewer.is_agent()) return fail(ErrorCode::kNotFound, "no such view", "view");
    GONGDAN_ASSIGN(view_filter, builtin_filter(*request.builtin_view, viewer, *catalog));
  } else if (request.view_id) {
    const SavedView* found = nullptr;
    for (const auto& v : catalog->views)
      if (v.id == *request.view_id && (!v.owner_id || *v.owner_id == who.user.id)) found = &v;
    if (!found || !viewer.is_agent()) return fail(ErrorCode::kNotFound, "no such view", "view");
    view_filter = found->filter.for_viewer(who.user.id);
    if (auto sort = parse_ticket_sort(found->sort)) request.sort = *sort;
  }
  if (view_filter) {
    auto both = narrowed(*view_filter, q.filter);
    if (!both) return TicketPage{};  // no ticket could match the view and the filters
    q.filter = std::move(*both);
    q.filter.sla_now = clock_.now_ms();
  }
  q.viewer = viewer;
  q.sort = request.sort;
  q.after = request.after;
  q.limit = request.limit;
  TicketPage page;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    q.limit = request.limit + 1;
    GONGDAN_ASSIGN(page.items, store::list_tickets(c, q));
    return {};
  }));
  if (static_cast<int>(page.items.size()) > request.limit) {
    page.items.resize(request.limit);
    const auto& last = page.items.back();
    page.next = TicketCursor{sort_key(last, request.sort), last.id};
  }
  return page;
}

Result<std::vector<ViewCount>> TicketsService::views(const Principal& who) {
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  if (!viewer.is_agent()) return fail(ErrorCode::kPermissionDenied, "views are for agents");
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  const auto departments = visible_departments(viewer, *catalog);
  std::vector<std::pair<ViewCount, std::vector<std::string>>> wanted;
  for (const auto& b : kBuiltins) {
    std::vector<std::string> keys;
    if (b.id == "my_open") {
      for (auto c : kUnsolved) keys.push_back(assignee_key(viewer.user_id, c));
    } else if (b.id == "unassigned") {
      for (auto d : departments)
        for (auto c : kActionable) keys.push_back(unassigned_key(d, c));
    } else {
      std::vector<StatusCategory> cats;
      if (b.id == "all_open") cats.assign(std::begin(kActionable), std::end(kActionable));
      if (b.id == "pending") cats = {StatusCategory::kPending, StatusCategory::kOnHold};
      if (b.id == "recently_solved") cats = {StatusCategory::kSolved};
      for (auto c : cats) {
        if (viewer.sees_all_departments()) {
          keys.push_back(category_key(c));
        } else {
          for (auto d : departments) keys.push_back(department_key(d, c));
        }
      }
    }
    wanted.push_back(
        {ViewCount{std::string(b.id), std::string(b.name), true, 0, {}, {}, {}}, keys});
  }
  // Counters are global. A viewer limited to some departments sees, besides those
  // departments, what is assigned to them elsewhere: built-in views add that from the
  // (small, indexed) set of their assigned tickets, and saved views are counted for them.
  const bool restricted = !viewer.sees_all_departments();
  std::vector<const SavedView*> on_demand;
  for (const auto& v : catalog->views) {
    if (v.owner_id && *v.owner_id != who.user.id) continue;
    ViewCount count{std::to_string(v.id), v.name, false, 0, v.filter_json, v.sort, v.columns};
    if (restricted || (!v.owner_id && v.filter.uses_me()) || v.filter.counted_by_query()) {
      on_demand.push_back(&v);
      wanted.push_back({count, {}});
    } else {
      wanted.push_back({count, {saved_view_key(v.id)}});
    }
  }
  std::vector<std::string> all_keys;
  for (const auto& [_, keys] : wanted) all_keys.insert(all_keys.end(), keys.begin(), keys.end());
  const Millis now = clock_.now_ms();
  std::map<std::string, std::int64_t> counts;
  std::map<std::int64_t, std::int64_t> computed;
  std::map<std::string, std::int64_t> assigned_elsewhere;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(counts, store::read_counts(c, all_keys));
    for (const auto* v : on_demand) {
      auto filter = v->filter.for_viewer(who.user.id);
      filter.sla_now = now;
      GONGDAN_ASSIGN(computed[v->id], store::count_matching(c, filter, viewer));
    }
    if (restricted) {
      for (std::string_view id : {"all_open", "pending", "recently_solved"}) {
        GONGDAN_ASSIGN(auto filter, builtin_filter(id, viewer, *catalog));
        filter.assignees = {who.user.id};
        GONGDAN_ASSIGN(auto everywhere, store::count_matching(c, filter));
        filter.departments = departments;
        GONGDAN_ASSIGN(auto inside, store::count_matching(c, filter));
        assigned_elsewhere[std::string(id)] = everywhere - inside;
      }
    }
    return {};
  }));
  std::vector<ViewCount> out;
  for (auto& [view, keys] : wanted) {
    for (const auto& k : keys) view.count += counts[k];
    if (view.builtin) view.count += assigned_elsewhere[view.id];
    if (!view.builtin && keys.empty()) view.count = computed[std::stoll(view.id)];
    out.push_back(std::move(view));
  }
  return out;
}

Result<void> TicketsService::rebuild_counts() {
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  return db_.exclusive([&](store::Connection& c) -> Result<void> {
    GONGDAN_TRY(c.exec("DELETE FROM view_counts"));
    store::TicketListQuery q;
    q.sort = TicketSort::kCreatedAsc;
    q.limit = 5000;
    std::map<std::string, std::int64_t> deltas;
    while (true) {
      GONGDAN_ASSIGN(auto page, store::list_tickets(c, q));
      for (const auto& t : page) {
        for (auto& k : count_keys(t)) deltas[k] += 1;
        for (const auto& v : catalog->views) {
          auto f = v.owner_id ? v.filter.for_viewer(*v.owner_id) : v.filter;
          if (!f.uses_me() && !f.counted_by_query() && matches(f, t))
            deltas[saved_view_key(v.id)] += 1;
        }
      }
      if (static_cast<int>(page.size()) < q.limit) break;
      q.after = TicketCursor{page.back().created_at, page.back().id};
    }
    return store::adjust_counts(c, deltas);
  });
}

}  // namespace gongdan::services
