#include "services/directory.hpp"

#include <boost/json.hpp>

#include "services/catalog/catalog_resources.hpp"
#include "services/resource_load.hpp"
#include "services/staff_roles.hpp"
#include "store/catalog_store.hpp"
#include "store/users_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

constexpr Millis kViewerLifetime = 10'000;

// A filter's values: a list, or one value given alone; `read` reads each.
template <class T, class Read>
Result<std::vector<T>> one_or_many(const boost::json::value& v, Read read) {
  std::vector<T> out;
  auto add = [&](const boost::json::value& item) -> Result<void> {
    GONGDAN_ASSIGN(auto value, read(item));
    out.push_back(std::move(value));
    return {};
  };
  if (v.is_array()) {
    for (const auto& item : v.as_array()) GONGDAN_TRY(add(item));
  } else {
    GONGDAN_TRY(add(v));
  }
  return out;
}

Result<std::vector<std::int64_t>> id_list(const boost::json::value& v, std::string_view field) {
  return one_or_many<std::int64_t>(v, [&](const boost::json::value& item) -> Result<std::int64_t> {
    if (item.is_int64()) return item.as_int64();
    if (item.is_null()) return 0;
    if (item.is_string() && item.as_string() == "me") return TicketFilter::kMe;
    if (item.is_string() && (item.as_string() == "none" || item.as_string() == "0")) return 0;
    return fail(ErrorCode::kInvalidArgument, "must be ids (or none/me)",
                "filters." + std::string(field));
  });
}

template <class E>
Result<std::vector<E>> name_list(const boost::json::value& v, std::string_view field,
                                 std::optional<E> (*parse)(std::string_view)) {
  return one_or_many<E>(v, [&](const boost::json::value& item) -> Result<E> {
    auto parsed = item.is_string() ? parse(item.as_string()) : std::nullopt;
    if (!parsed)
      return fail(ErrorCode::kInvalidArgument, "has an unknown value",
                  "filters." + std::string(field));
    return *parsed;
  });
}

}  // namespace

const Status* Catalog::status(std::int64_t id) const {
  for (const auto& s : statuses)
    if (s.id == id) return &s;
  return nullptr;
}

const Status* Catalog::default_status(StatusCategory category) const {
  for (const auto& s : statuses)
    if (s.category == category && s.active) return &s;
  return nullptr;
}

const Department* Catalog::department(std::int64_t id) const {
  for (const auto& d : departments)
    if (d.id == id) return &d;
  return nullptr;
}

const Department* Catalog::department_by_name(std::string_view name) const {
  const auto wanted = text::to_lower_ascii(name);
  for (const auto& d : departments)
    if (text::to_lower_ascii(d.name) == wanted) return &d;
  return nullptr;
}

Result<TicketFilter> parse_filter_json(std::string_view json, const Catalog&) {
  boost::system::error_code ec;
  auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object())
    return fail(ErrorCode::kInvalidArgument, "filters must be a JSON object", "filters");
  TicketFilter f;
  for (const auto& [key, v] : value.as_object()) {
    if (key == "status") {
      GONGDAN_ASSIGN(f.status_ids, id_list(v, key));
    } else if (key == "status_category") {
      GONGDAN_ASSIGN(f.categories, name_list<StatusCategory>(v, key, parse_category));
    } else if (key == "department") {
      GONGDAN_ASSIGN(f.departments, id_list(v, key));
    } else if (key == "assignee") {
      GONGDAN_ASSIGN(f.assignees, id_list(v, key));
    } else if (key == "priority") {
      GONGDAN_ASSIGN(f.priorities, name_list<Priority>(v, key, parse_priority));
    } else if (key == "type") {
      GONGDAN_ASSIGN(f.types, name_list<TicketType>(v, key, parse_type));
    } else if (key == "tag" && v.is_string()) {
      f.tag = text::to_lower_ascii(v.as_string());
    } else if (key == "channel" && v.is_string()) {
      f.channel = std::string(v.as_string());
    } else if (key == "requester" && v.is_int64()) {
      f.requester_id = v.as_int64();
    } else if (key == "organization" && v.is_int64()) {
      f.organization_id = v.as_int64();
    } else if (key == "sla") {
      GONGDAN_ASSIGN(f.sla_states, name_list<SlaState>(v, key, parse_sla_state));
    } else if (key == "fields" && v.is_object()) {
      // {"model": "x100"}: each custom field's value, as text.
      for (const auto& [field, wanted] : v.as_object()) {
        if (!valid_custom_field_key(field) || !wanted.is_string())
          return fail(ErrorCode::kInvalidArgument, "must be a custom field's key and a text value",
                      "filters.fields." + std::string(field));
        f.custom_fields.push_back({std::string(field), std::string(wanted.as_string())});
      }
    } else {
      return fail(ErrorCode::kInvalidArgument, "unknown filter or wrong type",
                  "filters." + std::string(key));
    }
  }
  return f;
}

namespace {

std::vector<SavedView> compile_views(const std::vector<View>& stored, const Catalog& catalog) {
  std::vector<SavedView> views;
  for (const auto& v : stored) {
    const std::string filters = boost::json::serialize(v.filters);
    auto filter = parse_filter_json(filters, catalog);
    if (!filter) continue;  // stored views were validated; skip rather than fail every request
    views.push_back(
        SavedView{v.id, v.name, v.owner_id, *filter, filters, v.sort, v.columns, v.position});
  }
  return views;
}

}  // namespace

Result<std::vector<SavedView>> load_saved_views(store::Connection& c, const Catalog& catalog) {
  GONGDAN_ASSIGN(auto stored, load_all(c, view_resource()));
  return compile_views(stored, catalog);
}

Result<std::shared_ptr<const Catalog>> Directory::catalog() {
  {
    std::lock_guard lock(mutex_);
    if (catalog_) return catalog_;
  }
  auto fresh = std::make_shared<Catalog>();
  fresh->views_generation = views_generation_.load();
  fresh->live_views_generation = &views_generation_;
  fresh->views_unsettled = views_changing_.load() > 0;
  std::vector<View> stored_views;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(fresh->statuses, load_all(c, status_resource()));
    GONGDAN_ASSIGN(fresh->departments, load_all(c, department_resource()));
    GONGDAN_ASSIGN(fresh->fields, load_all(c, field_resource()));
    GONGDAN_ASSIGN(fresh->forms, load_all(c, form_resource()));
    GONGDAN_ASSIGN(stored_views, load_all(c, view_resource()));
    return {};
  }));
  fresh->views = compile_views(stored_views, *fresh);
  std::lock_guard lock(mutex_);
  // A catalog read across an invalidation may lack the change: answer with it, never keep it.
  if (fresh->views_unsettled || fresh->views_generation != views_generation_.load()) return fresh;
  if (!catalog_) catalog_ = std::move(fresh);
  return catalog_;
}

Result<void> Directory::note_views_changed_in_write(store::Connection& c) {
  GONGDAN_TRY(c.exclude_other_writers());
  views_generation_.fetch_add(1);
  c.after_commit([this] { invalidate_catalog(); });
  return {};
}

void Directory::end_views_change() {
  views_changing_.fetch_sub(1);
  settings_changed();
}

void Directory::invalidate_catalog() {
  std::lock_guard lock(mutex_);
  views_generation_.fetch_add(1);
  catalog_.reset();
}

void Directory::settings_changed() {
  settings_changed_here();
  if (settings_broadcaster_) settings_broadcaster_();
}

void Directory::settings_changed_here() {
  settings_version_.fetch_add(1);
  invalidate_catalog();
  std::function<void()> listener;
  {
    std::lock_guard lock(mutex_);
    listener = on_settings_changed_;
  }
  if (listener) listener();
}

Result<Viewer> Directory::viewer(const Principal& who) {
  const Millis now = clock_.now_ms();
  {
    std::lock_guard lock(mutex_);
    auto it = viewers_.find(who.user.id);
    if (it != viewers_.end() && now - it->second.loaded_at < kViewerLifetime &&
        it->second.viewer.role == who.user.role && it->second.role_id == who.user.role_id) {
      Viewer v = it->second.viewer;
      // The credential's permissions are the freshest (a role's change evicts them).
      if (who.custom_permissions) v.custom_permissions = who.custom_permissions;
      return v;
    }
  }
  Viewer v;
  v.user_id = who.user.id;
  v.role = who.user.role;
  v.custom_permissions = who.custom_permissions;
  if (who.user.id == 0) {  // the system principal
    v.role = Role::kAdmin;
    return v;
  }
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    // A principal made from a user (a reply by mail, a report's recipient) has not read them.
    if (!v.custom_permissions) {
      GONGDAN_ASSIGN(v.custom_permissions, custom_permissions(c, who.user));
    }
    if (v.is_agent()) {
      GONGDAN_ASSIGN(v.departments, store::departments_of_agent(c, v.user_id));
      GONGDAN_ASSIGN(v.all_departments, store::agent_sees_all_departments(c, v.user_id));
    } else {
      GONGDAN_ASSIGN(v.organization_id, store::organization_of_user(c, v.user_id));
      if (v.organization_id) {
        GONGDAN_ASSIGN(auto org, load_one(c, organization_resource(), *v.organization_id));
        v.organization_shares = org && org->shared_tickets;
      }
    }
    return {};
  }));
  std::lock_guard lock(mutex_);
  viewers_[who.user.id] = CachedViewer{v, now, who.user.role_id};
  return v;
}

void Directory::forget_viewer(std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  viewers_.erase(user_id);
}

void Directory::invalidate_viewers() {
  {
    std::lock_guard lock(mutex_);
    viewers_.clear();
  }
  if (on_viewers_changed_) on_viewers_changed_();
}

}  // namespace gongdan::services
