#include "services/resource_service.hpp"

#include <utility>

#include "services/audit.hpp"
#include "services/directory.hpp"
#include "services/secret_box.hpp"
#include "store/resource_store.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

namespace gongdan::services {
namespace json = boost::json;

namespace {

bool in_audience(const Principal& who, Audience audience) {
  switch (audience) {
    case Audience::kSignedIn:
      return true;
    case Audience::kAgents:
      return who.is_agent();
    case Audience::kWritingAgents:
      return who.can(Permission::kManageKnowledgeBase);
    case Audience::kUserManagers:
      return who.can(Permission::kManageUsers);
    case Audience::kAdmins:
      return who.can(Permission::kManageSettings);
  }
  return false;
}

std::optional<std::int64_t> owner_of(const Values& values) {
  const auto* owner = values.if_contains("owner_id");
  if (!owner || !owner->is_int64()) return std::nullopt;
  return owner->get_int64();
}

bool personal(const ResourceInfo& info) { return info.ownership == Ownership::kPersonal; }

// Why a caller outside the write audience is refused.
std::string refusal(const ResourceInfo& info) {
  if (info.write == Audience::kWritingAgents)
    return "your role may not change " + std::string(info.title.en) + " (kb.manage)";
  if (info.write == Audience::kUserManagers)
    return "your role may not change " + std::string(info.title.en) + " (users.manage)";
  return "your role may not change settings (settings.manage)";
}

}  // namespace

Result<void> ResourceService::may_read(const Principal& who) const {
  if (in_audience(who, info_.read)) return {};
  return fail(ErrorCode::kPermissionDenied, "you may not read " + std::string(info_.title.en));
}

Result<void> ResourceService::may_change(const Principal& who, const Values& stored) const {
  if (personal(info_)) {
    const auto owner = owner_of(stored);
    if (owner ? *owner == who.user.id : who.can(Permission::kManageSettings)) return {};
    return fail(ErrorCode::kPermissionDenied,
                "only admins may change shared " + std::string(info_.title.en));
  }
  if (in_audience(who, info_.write)) return {};
  return fail(ErrorCode::kPermissionDenied, refusal(info_));
}

Result<void> ResourceService::check_references(store::Connection& c, const Values& values) const {
  for (const auto& f : info_.fields) {
    if (f.kind != FieldKind::kReference || f.read_only) continue;
    const auto* v = values.if_contains(f.key);
    if (!v || !v->is_int64()) continue;
    auto table = tables_.find(f.references);
    if (table == tables_.end()) continue;
    GONGDAN_ASSIGN(bool exists, store::item_exists(c, table->second.table, v->get_int64()));
    if (!exists)
      return fail(ErrorCode::kInvalidArgument,
                  "no such " + table->second.noun + ": " + std::to_string(v->get_int64()),
                  std::string(f.key));
  }
  return {};
}

Values ResourceService::generate_secrets(Values& given, Change change) const {
  Values shown;
  for (const auto& f : info_.fields) {
    if (f.kind != FieldKind::kSecret || !f.generated) continue;
    const bool rotate = given.erase(f.rotate_key()) > 0;
    if (change == Change::kCreate ? !given.contains(f.key) : rotate)
      given[f.key] = json::string(crypto::random_token(32));
    if (change == Change::kCreate || rotate) shown[f.key] = given[f.key];
  }
  return shown;
}

void ResourceService::seal(Values& values) const {
  if (!deps_.secrets) return;
  for (const auto& f : info_.fields) {
    if (!f.sealed) continue;
    auto* v = values.if_contains(f.key);
    if (v && v->is_string() && !v->get_string().empty())
      *v = json::string(deps_.secrets->seal(v->get_string()));
  }
}

json::object ResourceService::answer(const Values& values) const {
  Values shown = values;
  if (personal(info_)) shown["shared"] = !owner_of(values).has_value();
  auto out = describe(info_, shown);
  if (hooks_.describe) hooks_.describe(values, out);
  return out;
}

void ResourceService::invalidate() const {
  switch (info_.invalidates) {
    case Invalidates::kNothing:
      break;
    case Invalidates::kSettings:
      deps_.directory->settings_changed();
      break;
    case Invalidates::kViewers:
      deps_.directory->invalidate_viewers();
      break;
  }
}

Result<ResourceApi::Page> ResourceService::list(const Principal& who, std::int64_t after,
                                                int limit) {
  GONGDAN_TRY(may_read(who));
  store::ItemQuery query;
  if (personal(info_)) query.viewer = who.user.id;
  if (info_.paged && limit > 0) {
    query.after = after;
    query.limit = limit + 1;
  }
  std::vector<Values> rows;
  GONGDAN_TRY(deps_.db->read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(rows, store::select_items(c, info_, query));
    return {};
  }));
  Page page;
  if (query.limit > 0 && static_cast<int>(rows.size()) > limit) {
    rows.resize(static_cast<std::size_t>(limit));
    page.next_after = rows.back().at(info_.id_key()).as_int64();
  }
  for (const auto& values : rows) page.items.push_back(answer(values));
  return page;
}

Result<Values> ResourceService::find(const Principal& who, std::int64_t id) {
  GONGDAN_TRY(may_read(who));
  std::optional<Values> found;
  GONGDAN_TRY(deps_.db->read([&](store::Connection& c) -> Result<void> {
    if (info_.is_keyed()) GONGDAN_TRY(check_owner_item(c, id));
    GONGDAN_ASSIGN(found, store::find_item(c, info_, id));
    return {};
  }));
  if (!found && info_.is_keyed()) {
    Values blank = defaults();
    blank[info_.id_key()] = id;
    return blank;
  }
  // Another person's personal item does not exist for you.
  if (!found || (personal(info_) && owner_of(*found) && *owner_of(*found) != who.user.id))
    return fail(info_.not_found());
  return std::move(*found);
}

Result<json::object> ResourceService::get(const Principal& who, std::int64_t id) {
  GONGDAN_ASSIGN(auto values, find(who, id));
  return answer(values);
}

Result<Values> ResourceService::write(const Principal& who, Change change, std::int64_t id,
                                      Values given) {
  const Millis now = deps_.clock->now_ms();
  Values values;
  if (hooks_.before_write) hooks_.before_write();
  auto written = deps_.db->write([&](store::Connection& c) -> Result<void> {
    std::optional<Values> stored;
    if (change != Change::kCreate) {
      GONGDAN_ASSIGN(stored, stored_item(c, who, id));
    }
    values = base_of(change, stored);
    if (info_.is_keyed()) values[info_.id_key()] = id;
    for (auto& [key, value] : given) values[key] = value;
    if (change != Change::kRemove) {
      if (info_.field("updated_at")) values["updated_at"] = now;
      if (change == Change::kCreate && info_.field("created_at")) values["created_at"] = now;
      GONGDAN_TRY(check_references(c, values));
      if (hooks_.check) GONGDAN_TRY(hooks_.check(c, who, values, stored ? &*stored : nullptr));
    }
    if (change == Change::kRemove && hooks_.removing) GONGDAN_TRY(hooks_.removing(c, values));
    if (change == Change::kCreate) {
      GONGDAN_ASSIGN(id, store::insert_item(c, info_, values));
      values[info_.id_key()] = id;
    } else if (info_.is_keyed() && change == Change::kUpdate) {
      GONGDAN_TRY(store::put_item(c, info_, id, values));
    } else {
      GONGDAN_ASSIGN(bool found, change == Change::kUpdate
                                     ? store::update_item(c, info_, id, values)
                                     : store::delete_item(c, info_, id));
      if (!found) return fail(info_.not_found());
    }
    if (hooks_.written) GONGDAN_TRY(hooks_.written(c, values, change));
    const auto [action, target] = audit_names(change, id);
    return record_audit(c, now, actor_id(who), action, target, who.ip);
  });
  if (hooks_.after_write) hooks_.after_write();
  GONGDAN_TRY(std::move(written));
  invalidate();
  return values;
}

Result<json::object> ResourceService::create(const Principal& who, const json::value& body) {
  if (!in_audience(who, personal(info_) ? Audience::kAgents : info_.write))
    return fail(ErrorCode::kPermissionDenied, refusal(info_));
  GONGDAN_ASSIGN(auto given, read_body(info_, body, true));
  if (hooks_.syntax) GONGDAN_TRY(hooks_.syntax(given));
  if (personal(info_)) {
    const bool shared = given.contains("shared") && given.at("shared").as_bool();
    if (shared && !who.can(Permission::kManageSettings))
      return fail(ErrorCode::kPermissionDenied,
                  "only admins may share " + std::string(info_.title.en), "shared");
    if (!shared && who.user.id == 0)
      return fail(ErrorCode::kInvalidArgument,
                  "a personal " + std::string(info_.noun) + " needs an owner");
    given["owner_id"] = shared ? json::value(nullptr) : json::value(who.user.id);
  }
  const auto shown = generate_secrets(given, Change::kCreate);
  seal(given);
  GONGDAN_ASSIGN(auto values, write(who, Change::kCreate, 0, std::move(given)));
  auto out = answer(values);
  for (const auto& [key, value] : shown) out[key] = value;
  return out;
}

Result<json::object> ResourceService::update(const Principal& who, std::int64_t id,
                                             const json::value& body) {
  GONGDAN_TRY(may_read(who));
  GONGDAN_ASSIGN(auto given, read_body(info_, body, false));
  if (info_.ops.put) GONGDAN_TRY(require_fields(info_, given));
  const auto shown = generate_secrets(given, Change::kUpdate);
  if (hooks_.syntax) GONGDAN_TRY(hooks_.syntax(given));
  seal(given);
  GONGDAN_ASSIGN(auto values, write(who, Change::kUpdate, id, std::move(given)));
  auto out = answer(values);
  for (const auto& [key, value] : shown) out[key] = value;
  return out;
}

Result<void> ResourceService::remove(const Principal& who, std::int64_t id) {
  GONGDAN_TRY(may_read(who));
  GONGDAN_TRY(write(who, Change::kRemove, id, {}));
  return {};
}

Values ResourceService::defaults() const {
  Values out = hooks_.blank ? hooks_.blank() : Values{};
  for (const auto& f : info_.fields)
    if (!f.default_json.empty()) out[f.key] = json::parse(f.default_json);
  out.erase(info_.id_key());
  return out;
}

Error ResourceService::not_found() const {
  if (!info_.is_keyed()) return info_.not_found();
  const auto by = tables_.find(info_.keyed.by);
  return Error{ErrorCode::kNotFound,
               "no such " + (by != tables_.end() ? by->second.noun : std::string(info_.keyed.by)),
               {},
               0};
}

Result<void> ResourceService::check_owner_item(store::Connection& c, std::int64_t id) const {
  if (id == 0 && !info_.keyed.defaults.empty()) return {};
  const auto by = tables_.find(info_.keyed.by);
  if (by == tables_.end())
    return fail(ErrorCode::kInternal,
                "settings of an undeclared resource: " + std::string(info_.keyed.by));
  GONGDAN_ASSIGN(bool exists, store::item_exists(c, by->second.table, id));
  if (!exists) return fail(not_found());
  return {};
}

Result<std::optional<Values>> ResourceService::stored_item(store::Connection& c,
                                                           const Principal& who,
                                                           std::int64_t id) const {
  if (info_.is_keyed()) {
    GONGDAN_TRY(may_change(who, {}));
    GONGDAN_TRY(check_owner_item(c, id));
    return store::find_item(c, info_, id);
  }
  GONGDAN_ASSIGN(auto stored, store::find_item(c, info_, id));
  // Another person's personal item does not exist for you.
  if (!stored || (personal(info_) && owner_of(*stored) && *owner_of(*stored) != who.user.id))
    return fail(info_.not_found());
  GONGDAN_TRY(may_change(who, *stored));
  return stored;
}

Values ResourceService::base_of(Change change, const std::optional<Values>& stored) const {
  if (!stored) return defaults();
  if (change != Change::kUpdate || !info_.ops.put) return *stored;
  Values out = defaults();
  for (const auto& f : info_.fields)
    if (!f.writable(false))
      if (const auto* v = stored->if_contains(f.key)) out[f.key] = *v;
  return out;
}

std::pair<std::string, std::string> ResourceService::audit_names(Change change,
                                                                 std::int64_t id) const {
  if (!info_.is_keyed()) {
    const std::string noun(info_.noun);
    return {noun + "." + std::string(change_name(change)), noun + ":" + std::to_string(id)};
  }
  const auto by = tables_.find(info_.keyed.by);
  const std::string owner = by != tables_.end() ? by->second.noun : std::string(info_.keyed.by);
  return {owner + "." + std::string(info_.noun), owner + ":" + std::to_string(id)};
}

ResourceService& Resources::add_values(const ResourceInfo& info, ValueHooks hooks) {
  tables_[std::string(info.name)] = {std::string(info.table), std::string(info.noun)};
  services_.push_back(std::make_unique<ResourceService>(info, deps_, std::move(hooks), tables_));
  return *services_.back();
}

ResourceService* Resources::find(std::string_view name) const {
  for (const auto& s : services_)
    if (s->info().name == name) return s.get();
  return nullptr;
}

}  // namespace gongdan::services
