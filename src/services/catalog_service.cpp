#include "services/catalog_service.hpp"

#include <algorithm>

#include "services/audit.hpp"
#include "store/tickets_store.hpp"
#include "store/users_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

Result<std::string> clean_name(std::string_view raw, std::string_view field,
                               std::size_t max = 100) {
  auto name = text::strip_controls(text::trim(raw));
  if (name.empty() || name.size() > max || !text::is_valid_utf8(name))
    return fail(ErrorCode::kInvalidArgument,
                "must be 1 to " + std::to_string(max) + " bytes of text", std::string(field));
  return name;
}

}  // namespace

Result<std::shared_ptr<const Catalog>> CatalogService::catalog(const Principal&) {
  return directory_.catalog();
}

Result<Status> CatalogService::create_status(const Principal& who, const StatusInput& in) {
  GONGDAN_TRY(require_admin(who, "change settings"));
  Status s;
  GONGDAN_ASSIGN(s.name, clean_name(in.name.value_or(""), "name"));
  s.name_zh = text::strip_controls(text::trim(in.name_zh.value_or("")));
  if (!in.category) return fail(ErrorCode::kInvalidArgument, "is required", "category");
  s.category = *in.category;
  s.position = in.position.value_or(100);
  s.active = in.active.value_or(true);
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(s.id, store::insert_status(c, s));
    return record_audit(c, clock_.now_ms(), actor_id(who), "status.create",
                        "status:" + std::to_string(s.id), who.ip);
  }));
  directory_.settings_changed();
  return s;
}

Result<Status> CatalogService::update_status(const Principal& who, std::int64_t id,
                                             const StatusInput& in) {
  GONGDAN_TRY(require_admin(who, "change settings"));
  if (in.category)
    return fail(ErrorCode::kInvalidArgument, "a status keeps its category", "category");
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  const Status* existing = catalog->status(id);
  if (!existing) return fail(ErrorCode::kNotFound, "no such status");
  Status s = *existing;
  if (in.name) {
    GONGDAN_ASSIGN(s.name, clean_name(*in.name, "name"));
  }
  if (in.name_zh) s.name_zh = text::strip_controls(text::trim(*in.name_zh));
  if (in.position) s.position = *in.position;
  if (in.active) s.active = *in.active;
  if (!s.active) {
    bool another = false;
    for (const auto& other : catalog->statuses)
      another = another || (other.id != s.id && other.active && other.category == s.category);
    if (!another)
      return fail(ErrorCode::kConflict, "every category needs at least one active status",
                  "active");
  }
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_TRY(store::update_status(c, s));
    return record_audit(c, clock_.now_ms(), actor_id(who), "status.update",
                        "status:" + std::to_string(s.id), who.ip);
  }));
  directory_.settings_changed();
  return s;
}

Result<store::Department> CatalogService::create_department(const Principal& who, std::string name,
                                                            std::string description) {
  GONGDAN_TRY(require_admin(who, "change settings"));
  store::Department d;
  GONGDAN_ASSIGN(d.name, clean_name(name, "name"));
  d.description = text::strip_controls(description, true);
  d.created_at = clock_.now_ms();
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(d.id, store::insert_department(c, d));
    return record_audit(c, d.created_at, actor_id(who), "department.create",
                        "department:" + std::to_string(d.id), who.ip);
  }));
  directory_.settings_changed();
  return d;
}

Result<store::Department> CatalogService::update_department(
    const Principal& who, std::int64_t id, std::optional<std::string> name,
    std::optional<std::string> description) {
  GONGDAN_TRY(require_admin(who, "change settings"));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  const auto* existing = catalog->department(id);
  if (!existing) return fail(ErrorCode::kNotFound, "no such department");
  store::Department d = *existing;
  if (name) {
    GONGDAN_ASSIGN(d.name, clean_name(*name, "name"));
  }
  if (description) d.description = text::strip_controls(*description, true);
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_TRY(store::update_department(c, d));
    return record_audit(c, clock_.now_ms(), actor_id(who), "department.update",
                        "department:" + std::to_string(d.id), who.ip);
  }));
  directory_.settings_changed();
  return d;
}

Result<std::vector<std::int64_t>> CatalogService::department_agents(const Principal& who,
                                                                    std::int64_t id) {
  if (!who.is_agent()) return fail(ErrorCode::kPermissionDenied, "agents only");
  GONGDAN_ASSIGN(auto out, store::read_value(db_, [&](store::Connection& c) {
                   return store::agents_of_department(c, id);
                 }));
  return out;
}

Result<AgentDepartments> CatalogService::agent_departments(const Principal& who,
                                                           std::int64_t agent_id) {
  if (!who.is_admin() && who.user.id != agent_id)
    return fail(ErrorCode::kPermissionDenied, "only admins may read others' departments");
  AgentDepartments out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto user, store::find_user(c, agent_id));
    if (!user || !is_agent_role(user->role)) return fail(ErrorCode::kNotFound, "no such agent");
    GONGDAN_ASSIGN(out.departments, store::departments_of_agent(c, agent_id));
    GONGDAN_ASSIGN(out.all_departments, store::agent_sees_all_departments(c, agent_id));
    return {};
  }));
  return out;
}

Result<AgentDepartments> CatalogService::set_agent_departments(const Principal& who,
                                                               std::int64_t agent_id,
                                                               const AgentDepartments& in) {
  GONGDAN_TRY(require_admin(who, "change settings"));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  for (auto d : in.departments)
    if (!catalog->department(d))
      return fail(ErrorCode::kInvalidArgument, "no such department: " + std::to_string(d),
                  "departments");
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto user, store::find_user(c, agent_id));
    if (!user || !is_agent_role(user->role)) return fail(ErrorCode::kNotFound, "no such agent");
    GONGDAN_TRY(store::set_departments_of_agent(c, agent_id, in.departments));
    GONGDAN_TRY(store::set_all_departments(c, agent_id, in.all_departments));
    return record_audit(c, clock_.now_ms(), actor_id(who), "agent.departments",
                        "user:" + std::to_string(agent_id), who.ip);
  }));
  directory_.invalidate_viewers();
  return in;
}

Result<FieldDefinition> CatalogService::create_field(const Principal& who, const FieldInput& in) {
  GONGDAN_TRY(require_admin(who, "change settings"));
  FieldDefinition f;
  f.key = in.key.value_or("");
  GONGDAN_TRY(validate_field_key(f.key));
  auto type = parse_field_type(in.type.value_or(""));
  if (!type)
    return fail(ErrorCode::kInvalidArgument,
                "must be text, long_text, number, decimal, date, checkbox, dropdown or "
                "multi_select",
                "type");
  f.type = *type;
  GONGDAN_ASSIGN(f.label, clean_name(in.label.value_or(""), "label", 200));
  f.label_zh = text::strip_controls(text::trim(in.label_zh.value_or("")));
  if (in.options) {
    GONGDAN_ASSIGN(f.options, parse_field_options(*in.options));
  }
  const bool has_options = f.type == FieldType::kDropdown || f.type == FieldType::kMultiSelect;
  if (has_options && f.options.empty())
    return fail(ErrorCode::kInvalidArgument, "a dropdown needs options", "options");
  if (!has_options && !f.options.empty())
    return fail(ErrorCode::kInvalidArgument, "only dropdowns have options", "options");
  store::CustomFieldRow row{0,
                            f.key,
                            std::string(field_type_name(f.type)),
                            f.label,
                            f.label_zh,
                            boost::json::serialize(field_options_json(f.options)),
                            in.active.value_or(true),
                            in.position.value_or(0)};
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(f.id, store::insert_custom_field(c, row));
    return record_audit(c, clock_.now_ms(), actor_id(who), "field.create", "field:" + f.key,
                        who.ip);
  }));
  directory_.settings_changed();
  return f;
}

Result<FieldDefinition> CatalogService::update_field(const Principal& who, std::int64_t id,
                                                     const FieldInput& in) {
  GONGDAN_TRY(require_admin(who, "change settings"));
  if (in.key || in.type)
    return fail(ErrorCode::kInvalidArgument, "a field keeps its key and type",
                in.key ? "key" : "type");
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  const FieldDefinition* existing = nullptr;
  for (const auto& f : catalog->fields)
    if (f.id == id) existing = &f;
  if (!existing) return fail(ErrorCode::kNotFound, "no such field");
  FieldDefinition f = *existing;
  if (in.label) {
    GONGDAN_ASSIGN(f.label, clean_name(*in.label, "label", 200));
  }
  if (in.label_zh) f.label_zh = text::strip_controls(text::trim(*in.label_zh));
  if (in.options) {
    GONGDAN_ASSIGN(f.options, parse_field_options(*in.options));
  }
  if (in.active) f.active = *in.active;
  store::CustomFieldRow row{f.id,
                            f.key,
                            std::string(field_type_name(f.type)),
                            f.label,
                            f.label_zh,
                            boost::json::serialize(field_options_json(f.options)),
                            f.active,
                            in.position.value_or(0)};
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_TRY(store::update_custom_field(c, row));
    return record_audit(c, clock_.now_ms(), actor_id(who), "field.update", "field:" + f.key,
                        who.ip);
  }));
  directory_.settings_changed();
  return f;
}

namespace {

Result<std::string> validate_form_fields(const boost::json::value& fields, const Catalog& catalog) {
  if (!fields.is_array())
    return fail(ErrorCode::kInvalidArgument, "must be a list of {key, required}", "fields");
  for (const auto& item : fields.as_array()) {
    const auto* o = item.if_object();
    if (!o || !o->contains("key") || !o->at("key").is_string())
      return fail(ErrorCode::kInvalidArgument, "every entry needs a key", "fields");
    if (o->contains("required") && !o->at("required").is_bool())
      return fail(ErrorCode::kInvalidArgument, "required must be true or false", "fields");
    bool known = false;
    for (const auto& f : catalog.fields) known = known || f.key == o->at("key").as_string();
    if (!known)
      return fail(ErrorCode::kInvalidArgument,
                  "no such field: " + std::string(o->at("key").as_string()), "fields");
  }
  return boost::json::serialize(fields);
}

}  // namespace

Result<store::FormRow> CatalogService::create_form(const Principal& who, const FormInput& in) {
  GONGDAN_TRY(require_admin(who, "change settings"));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  store::FormRow f;
  GONGDAN_ASSIGN(f.name, clean_name(in.name.value_or(""), "name"));
  if (in.department_id && *in.department_id && !catalog->department(**in.department_id))
    return fail(ErrorCode::kInvalidArgument, "no such department", "department");
  if (in.department_id) f.department_id = *in.department_id;
  if (in.fields) {
    GONGDAN_ASSIGN(f.fields, validate_form_fields(*in.fields, *catalog));
  }
  f.active = in.active.value_or(true);
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(f.id, store::insert_form(c, f));
    return record_audit(c, clock_.now_ms(), actor_id(who), "form.create",
                        "form:" + std::to_string(f.id), who.ip);
  }));
  directory_.settings_changed();
  return f;
}

Result<store::FormRow> CatalogService::update_form(const Principal& who, std::int64_t id,
                                                   const FormInput& in) {
  GONGDAN_TRY(require_admin(who, "change settings"));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  const store::FormRow* existing = nullptr;
  for (const auto& f : catalog->forms)
    if (f.id == id) existing = &f;
  if (!existing) return fail(ErrorCode::kNotFound, "no such form");
  store::FormRow f = *existing;
  if (in.name) {
    GONGDAN_ASSIGN(f.name, clean_name(*in.name, "name"));
  }
  if (in.department_id) {
    if (*in.department_id && !catalog->department(**in.department_id))
      return fail(ErrorCode::kInvalidArgument, "no such department", "department");
    f.department_id = *in.department_id;
  }
  if (in.fields) {
    GONGDAN_ASSIGN(f.fields, validate_form_fields(*in.fields, *catalog));
  }
  if (in.active) f.active = *in.active;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_TRY(store::update_form(c, f));
    return record_audit(c, clock_.now_ms(), actor_id(who), "form.update",
                        "form:" + std::to_string(f.id), who.ip);
  }));
  directory_.settings_changed();
  return f;
}

Result<void> CatalogService::recount_view(store::Connection& c, const SavedView& view) {
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

Result<SavedView> CatalogService::create_view(const Principal& who, const ViewInput& in) {
  if (!who.is_agent()) return fail(ErrorCode::kPermissionDenied, "views are for agents");
  const bool shared = in.shared.value_or(false);
  if (shared && !who.is_admin())
    return fail(ErrorCode::kPermissionDenied, "only admins may share views", "shared");
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  SavedView v;
  GONGDAN_ASSIGN(v.name, clean_name(in.name.value_or(""), "name"));
  v.filter_json = in.filters_json.value_or("{}");
  GONGDAN_ASSIGN(v.filter, parse_filter_json(v.filter_json, *catalog));
  v.sort = in.sort.value_or("-updated_at");
  if (!store::parse_ticket_sort(v.sort))
    return fail(ErrorCode::kInvalidArgument, "unknown sort", "sort");
  if (!shared) v.owner_id = who.user.id;
  v.position = in.position.value_or(0);
  directory_.begin_views_change();
  auto written = db_.write([&](store::Connection& c) -> Result<void> {
    store::SavedViewRow row{0,      v.name,     v.owner_id,     v.filter_json,
                            v.sort, v.position, clock_.now_ms()};
    GONGDAN_ASSIGN(v.id, store::insert_saved_view(c, row));
    GONGDAN_TRY(directory_.note_views_changed_in_write(c));
    return recount_view(c, v);
  });
  directory_.end_views_change();
  GONGDAN_TRY(std::move(written));
  return v;
}

Result<SavedView> CatalogService::update_view(const Principal& who, std::int64_t id,
                                              const ViewInput& in) {
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  const SavedView* existing = nullptr;
  for (const auto& v : catalog->views)
    if (v.id == id) existing = &v;
  if (!existing || (existing->owner_id && *existing->owner_id != who.user.id))
    return fail(ErrorCode::kNotFound, "no such view");
  if (!existing->owner_id && !who.is_admin())
    return fail(ErrorCode::kPermissionDenied, "only admins may change shared views");
  if (in.shared)
    return fail(ErrorCode::kInvalidArgument, "sharing is set when a view is made", "shared");
  SavedView v = *existing;
  if (in.name) {
    GONGDAN_ASSIGN(v.name, clean_name(*in.name, "name"));
  }
  if (in.filters_json) {
    GONGDAN_ASSIGN(v.filter, parse_filter_json(*in.filters_json, *catalog));
    v.filter_json = *in.filters_json;
  }
  if (in.sort) {
    if (!store::parse_ticket_sort(*in.sort))
      return fail(ErrorCode::kInvalidArgument, "unknown sort", "sort");
    v.sort = *in.sort;
  }
  if (in.position) v.position = *in.position;
  directory_.begin_views_change();
  auto written = db_.write([&](store::Connection& c) -> Result<void> {
    store::SavedViewRow row{v.id, v.name, v.owner_id, v.filter_json, v.sort, v.position, 0};
    GONGDAN_TRY(store::update_saved_view(c, row));
    GONGDAN_TRY(directory_.note_views_changed_in_write(c));
    return recount_view(c, v);
  });
  directory_.end_views_change();
  GONGDAN_TRY(std::move(written));
  return v;
}

Result<void> CatalogService::delete_view(const Principal& who, std::int64_t id) {
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  const SavedView* existing = nullptr;
  for (const auto& v : catalog->views)
    if (v.id == id) existing = &v;
  if (!existing || (existing->owner_id && *existing->owner_id != who.user.id))
    return fail(ErrorCode::kNotFound, "no such view");
  if (!existing->owner_id && !who.is_admin())
    return fail(ErrorCode::kPermissionDenied, "only admins may delete shared views");
  directory_.begin_views_change();
  auto written = db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_TRY(store::delete_saved_view(c, id));
    GONGDAN_TRY(directory_.note_views_changed_in_write(c));
    GONGDAN_ASSIGN(auto q, store::query(c, "DELETE FROM view_counts WHERE view_key = ?"));
    return q.bind(saved_view_key(id)).run();
  });
  directory_.end_views_change();
  return written;
}

Result<std::vector<store::Organization>> CatalogService::organizations(const Principal& who,
                                                                       std::int64_t after_id,
                                                                       int limit) {
  if (!who.is_agent()) return fail(ErrorCode::kPermissionDenied, "agents only");
  GONGDAN_ASSIGN(auto out, store::read_value(db_, [&](store::Connection& c) {
                   return store::list_organizations(c, after_id, limit);
                 }));
  return out;
}

Result<store::Organization> CatalogService::organization(const Principal& who, std::int64_t id) {
  if (!who.is_agent()) return fail(ErrorCode::kNotFound, "no such organization");
  GONGDAN_ASSIGN(auto found, store::read_value(db_, [&](store::Connection& c) {
                   return store::find_organization(c, id);
                 }));
  if (!found) return fail(ErrorCode::kNotFound, "no such organization");
  return *found;
}

namespace {

Result<std::vector<std::string>> clean_domains(const std::vector<std::string>& raw) {
  std::vector<std::string> out;
  for (const auto& d : raw) {
    auto domain = text::to_lower_ascii(text::trim(d));
    bool ok = !domain.empty() && domain.size() <= 253 && domain.find('.') != std::string::npos;
    for (char ch : domain)
      ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.');
    if (!ok) return fail(ErrorCode::kInvalidArgument, "not a domain name: " + d, "domains");
    out.push_back(domain);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

Result<store::Organization> CatalogService::create_organization(const Principal& who,
                                                                const OrganizationInput& in) {
  GONGDAN_TRY(require_admin(who, "change settings"));
  store::Organization o;
  GONGDAN_ASSIGN(o.name, clean_name(in.name.value_or(""), "name", 200));
  if (in.domains) {
    GONGDAN_ASSIGN(o.domains, clean_domains(*in.domains));
  }
  o.shared_tickets = in.shared_tickets.value_or(false);
  o.tier = text::strip_controls(text::trim(in.tier.value_or("")));
  o.notes = text::strip_controls(in.notes.value_or(""), true);
  o.created_at = o.updated_at = clock_.now_ms();
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(o.id, store::insert_organization(c, o));
    return record_audit(c, o.created_at, actor_id(who), "organization.create",
                        "organization:" + std::to_string(o.id), who.ip);
  }));
  directory_.invalidate_viewers();
  return o;
}

Result<store::Organization> CatalogService::update_organization(const Principal& who,
                                                                std::int64_t id,
                                                                const OrganizationInput& in) {
  GONGDAN_TRY(require_admin(who, "change settings"));
  store::Organization o;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto found, store::find_organization(c, id));
    if (!found) return fail(ErrorCode::kNotFound, "no such organization");
    o = *found;
    if (in.name) {
      GONGDAN_ASSIGN(o.name, clean_name(*in.name, "name", 200));
    }
    if (in.domains) {
      GONGDAN_ASSIGN(o.domains, clean_domains(*in.domains));
    }
    if (in.shared_tickets) o.shared_tickets = *in.shared_tickets;
    if (in.tier) o.tier = text::strip_controls(text::trim(*in.tier));
    if (in.notes) o.notes = text::strip_controls(*in.notes, true);
    o.updated_at = clock_.now_ms();
    GONGDAN_TRY(store::update_organization(c, o));
    return record_audit(c, o.updated_at, actor_id(who), "organization.update",
                        "organization:" + std::to_string(o.id), who.ip);
  }));
  directory_.invalidate_viewers();
  return o;
}

Result<void> CatalogService::set_contact_organization(const Principal& who, std::int64_t contact_id,
                                                      std::optional<std::int64_t> organization_id) {
  GONGDAN_TRY(require_admin(who, "change settings"));
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto user, store::find_user(c, contact_id));
    if (!user || user->role != Role::kCustomer)
      return fail(ErrorCode::kNotFound, "no such contact");
    if (organization_id) {
      GONGDAN_ASSIGN(auto org, store::find_organization(c, *organization_id));
      if (!org) return fail(ErrorCode::kInvalidArgument, "no such organization", "organization");
    }
    GONGDAN_TRY(store::set_organization_of_user(c, contact_id, organization_id));
    return record_audit(c, clock_.now_ms(), actor_id(who), "contact.organization",
                        "user:" + std::to_string(contact_id), who.ip);
  }));
  directory_.invalidate_viewers();
  return {};
}

}  // namespace gongdan::services
