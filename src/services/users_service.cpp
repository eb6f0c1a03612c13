#include "services/users_service.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "domain/search_text.hpp"
#include "services/audit.hpp"
#include "services/catalog/catalog_resources.hpp"
#include "services/directory.hpp"
#include "services/resource_load.hpp"
#include "services/staff_roles.hpp"
#include "store/catalog_store.hpp"
#include "store/credentials_store.hpp"
#include "store/roles_store.hpp"
#include "store/search_index.hpp"
#include "store/users_store.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

bool kind_matches(UserKind kind, Role role) {
  if (kind == UserKind::kAll) return true;
  return (kind == UserKind::kCustomers) == (role == Role::kCustomer);
}

// Agents and their roles are users.manage's; contacts contacts.manage's.
Result<void> require_manager(const Principal& actor, UserKind kind) {
  if (kind == UserKind::kCustomers)
    return require(actor, Permission::kManageContacts, "manage contacts");
  return require(actor, Permission::kManageUsers, "manage agents");
}

// The custom role given to `u`: it must exist and `u` be staff; `u.role` becomes the built-in
// role its holders count as.
Result<void> give_role(store::Connection& c, User& u, std::int64_t role_id) {
  if (!is_agent_role(u.role))
    return fail(ErrorCode::kInvalidArgument, "only staff hold a custom role", "role_id");
  GONGDAN_ASSIGN(auto names, store::role_permissions(c, role_id));
  if (!names)
    return fail(ErrorCode::kInvalidArgument, "no such role: " + std::to_string(role_id), "role_id");
  u.role_id = role_id;
  u.role = base_role_of(stored_permissions(*names));
  return {};
}

// What `u` may do once stored.
Result<PermissionSet> permissions_of(store::Connection& c, const User& u) {
  GONGDAN_ASSIGN(auto custom, custom_permissions(c, u));
  return custom ? *custom : preset_permissions(u.role);
}

Result<void> validate_fields(const User& u, UserKind kind) {
  if (!text::looks_like_email(u.email))
    return fail(ErrorCode::kInvalidArgument, "not a valid email address", "email");
  if (u.name.size() > kMaxNameLength || !text::is_valid_utf8(u.name))
    return fail(ErrorCode::kInvalidArgument, "the name is too long or not valid text", "name");
  if (!kind_matches(kind, u.role))
    return fail(ErrorCode::kInvalidArgument,
                kind == UserKind::kCustomers ? "contacts always have the customer role"
                                             : "agents need an agent role",
                "role");
  if (!is_supported_locale(u.locale))
    return fail(ErrorCode::kInvalidArgument, "locale must be zh-CN or en", "locale");
  if (!time_zone_exists(u.time_zone))
    return fail(ErrorCode::kInvalidArgument, "unknown time zone (use an IANA name)", "time_zone");
  return {};
}

Result<std::vector<std::string>> clean_identities(const std::vector<std::string>& raw,
                                                  std::string_view kind) {
  std::vector<std::string> out;
  const std::string field = kind == "email" ? "emails" : "phones";
  if (raw.size() > 20) return fail(ErrorCode::kInvalidArgument, "at most 20", field);
  for (const auto& r : raw) {
    auto v = text::trim(r);
    if (kind == "email" && !text::looks_like_email(v))
      return fail(ErrorCode::kInvalidArgument, "not a valid email address: " + v, field);
    if (kind == "phone") {
      bool ok = !v.empty() && v.size() <= 32;
      for (char ch : v)
        ok = ok && ((ch >= '0' && ch <= '9') || ch == '+' || ch == '-' || ch == ' ' || ch == '(' ||
                    ch == ')');
      if (!ok) return fail(ErrorCode::kInvalidArgument, "not a phone number: " + v, field);
    }
    out.push_back(kind == "email" ? text::normalize_email(v) : v);
  }
  return out;
}

Result<void> check_contact_fields(UserKind kind, bool has_org, bool has_emails, bool has_phones) {
  if (kind == UserKind::kCustomers) return {};
  if (has_org)
    return fail(ErrorCode::kInvalidArgument, "only contacts belong to organizations",
                "organization");
  if (has_emails || has_phones)
    return fail(ErrorCode::kInvalidArgument, "only contacts have more emails and phones",
                has_emails ? "emails" : "phones");
  return {};
}

Result<void> check_organization(store::Connection& c, const std::optional<std::int64_t>& id) {
  if (!id) return {};
  GONGDAN_ASSIGN(auto org, load_one(c, organization_resource(), *id));
  if (!org) return fail(ErrorCode::kInvalidArgument, "no such organization", "organization");
  return {};
}

std::string describe(const User& u) {
  if (u.role_id)
    return fmt::format(R"({{"role":"{}","role_id":{},"active":{}}})", role_name(u.role), *u.role_id,
                       u.active);
  return fmt::format(R"({{"role":"{}","active":{}}})", role_name(u.role), u.active);
}

// A new user's own fields, cleaned (trimmed, control characters out) and not yet checked.
User user_of(const NewUser& fields) {
  User u;
  u.email = text::trim(fields.email);
  u.name = text::strip_controls(text::trim(fields.name));
  u.role = fields.role;
  u.locale = fields.locale;
  u.time_zone = fields.time_zone;
  return u;
}

}  // namespace

bool time_zone_exists(std::string_view zone) {
  if (zone == "UTC") return true;
  if (!is_plausible_time_zone_name(zone)) return false;
  std::error_code ec;
  return std::filesystem::is_regular_file(
      std::filesystem::path("/usr/share/zoneinfo") / std::string(zone), ec);
}

Result<User> UsersService::new_customer(NewUser fields) {
  fields.role = Role::kCustomer;
  User u = user_of(fields);
  GONGDAN_TRY(validate_fields(u, UserKind::kCustomers));
  GONGDAN_TRY(validate_password(fields.password.value_or("")));
  return u;
}

Result<User> UsersService::create(const Principal& actor, UserKind kind, NewUser fields) {
  GONGDAN_TRY(require_manager(actor, kind));
  User u = user_of(fields);
  u.notes = text::strip_controls(fields.notes, true);
  u.organization_id = fields.organization_id;
  u.created_at = u.updated_at = clock_.now_ms();
  GONGDAN_TRY(validate_fields(u, kind));
  GONGDAN_TRY(check_contact_fields(kind, fields.organization_id.has_value(), !fields.emails.empty(),
                                   !fields.phones.empty()));
  GONGDAN_ASSIGN(auto emails, clean_identities(fields.emails, "email"));
  GONGDAN_ASSIGN(auto phones, clean_identities(fields.phones, "phone"));
  std::optional<std::string> hash;
  if (fields.password) {
    GONGDAN_TRY(validate_password(*fields.password));
    GONGDAN_ASSIGN(hash, crypto::hash_password(*fields.password));
  }
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_TRY(check_organization(c, u.organization_id));
    if (fields.role_id) GONGDAN_TRY(give_role(c, u, *fields.role_id));
    GONGDAN_ASSIGN(u.id, store::insert_user(c, u, hash));
    GONGDAN_TRY(store::replace_identities(c, u.id, "email", emails));
    GONGDAN_TRY(store::replace_identities(c, u.id, "phone", phones));
    if (u.role == Role::kCustomer)
      GONGDAN_TRY(db_.search_index().index_contact(c, u.id, search::contact_text(u.name, u.email)));
    return record_audit(c, u.created_at, actor_id(actor), "user.create",
                        "user:" + std::to_string(u.id), actor.ip, describe(u));
  }));
  return u;
}

Result<User> UsersService::update(const Principal& actor, UserKind kind, std::int64_t id,
                                  const UserChanges& changes) {
  GONGDAN_TRY(require_manager(actor, kind));
  std::optional<std::string> hash;
  if (changes.password) {
    GONGDAN_TRY(validate_password(*changes.password));
    GONGDAN_ASSIGN(hash, crypto::hash_password(*changes.password));
  }
  GONGDAN_TRY(check_contact_fields(kind, changes.organization_id.has_value(),
                                   changes.emails.has_value(), changes.phones.has_value()));
  std::optional<std::vector<std::string>> emails, phones;
  if (changes.emails) {
    GONGDAN_ASSIGN(emails, clean_identities(*changes.emails, "email"));
  }
  if (changes.phones) {
    GONGDAN_ASSIGN(phones, clean_identities(*changes.phones, "phone"));
  }
  User updated;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto existing, store::find_user(c, id));
    if (!existing || !kind_matches(kind, existing->role))
      return fail(ErrorCode::kNotFound, "no such user");
    User u = *existing;
    if (changes.email) u.email = text::trim(*changes.email);
    if (changes.name) u.name = text::strip_controls(text::trim(*changes.name));
    if (changes.role) {
      u.role = *changes.role;
      u.role_id.reset();
    }
    if (changes.role_id) {
      if (*changes.role_id) {
        GONGDAN_TRY(give_role(c, u, **changes.role_id));
      } else {
        u.role_id.reset();
      }
    }
    if (changes.locale) u.locale = *changes.locale;
    if (changes.time_zone) u.time_zone = *changes.time_zone;
    if (changes.active) u.active = *changes.active;
    if (changes.notes) u.notes = text::strip_controls(*changes.notes, true);
    if (changes.organization_id) {
      GONGDAN_TRY(check_organization(c, *changes.organization_id));
      u.organization_id = *changes.organization_id;
    }
    if (emails) GONGDAN_TRY(store::replace_identities(c, u.id, "email", *emails));
    if (phones) GONGDAN_TRY(store::replace_identities(c, u.id, "phone", *phones));
    if (actor.user.id == u.id) {
      GONGDAN_ASSIGN(auto after, permissions_of(c, u));
      // Nobody takes away their own right to manage agents (and so locks the door behind them).
      if (!after.has(Permission::kManageUsers) || !u.active)
        return fail(ErrorCode::kInvalidArgument, "you cannot demote or deactivate yourself",
                    changes.role      ? "role"
                    : changes.role_id ? "role_id"
                                      : "active");
    }
    GONGDAN_TRY(validate_fields(u, kind));
    u.updated_at = clock_.now_ms();
    GONGDAN_TRY(store::update_user(c, u));
    if (u.role == Role::kCustomer && (u.name != existing->name || u.email != existing->email)) {
      auto& index = db_.search_index();
      GONGDAN_TRY(
          index.unindex_contact(c, u.id, search::contact_text(existing->name, existing->email)));
      GONGDAN_TRY(index.index_contact(c, u.id, search::contact_text(u.name, u.email)));
    }
    if (hash) GONGDAN_TRY(store::set_password_hash(c, u.id, *hash, u.updated_at));
    // A deactivated account or a password reset by an admin ends every open session of that
    // person and revokes their API tokens (reactivating brings neither back).
    if (!u.active || hash) {
      GONGDAN_TRY(store::delete_sessions_of_user(c, u.id));
      GONGDAN_TRY(store::revoke_tokens_of_user(c, u.id, u.updated_at));
    }
    updated = u;
    // Names, roles and the active flag live in this person's cached principals and viewer,
    // and in their live connections: drop those, nobody else's.
    c.after_commit([this, id = u.id] {
      cache_.evict(CredentialTarget::user(id));
      if (directory_) directory_->forget_viewer(id);
    });
    return record_audit(c, u.updated_at, actor_id(actor), "user.update",
                        "user:" + std::to_string(u.id), actor.ip, describe(u));
  }));
  return updated;
}

Result<User> UsersService::update_profile(const Principal& actor, const UserChanges& changes) {
  if (actor.via == CredentialKind::kSystem || actor.user.id == 0)
    return fail(ErrorCode::kPermissionDenied, "only a signed-in person has a profile");
  const auto kind = actor.user.role == Role::kCustomer ? UserKind::kCustomers : UserKind::kAgents;
  User updated;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto existing, store::find_user(c, actor.user.id));
    if (!existing) return fail(ErrorCode::kNotFound, "no such user");
    User u = *existing;
    if (changes.name) u.name = text::strip_controls(text::trim(*changes.name));
    if (changes.locale) u.locale = *changes.locale;
    if (changes.time_zone) u.time_zone = *changes.time_zone;
    GONGDAN_TRY(validate_fields(u, kind));
    u.updated_at = clock_.now_ms();
    GONGDAN_TRY(store::update_user(c, u));
    if (u.role == Role::kCustomer && u.name != existing->name) {
      auto& index = db_.search_index();
      GONGDAN_TRY(
          index.unindex_contact(c, u.id, search::contact_text(existing->name, existing->email)));
      GONGDAN_TRY(index.index_contact(c, u.id, search::contact_text(u.name, u.email)));
    }
    updated = u;
    // A new name or language: cached principals go, live connections stay.
    c.after_commit([this, id = u.id] {
      cache_.evict(CredentialTarget::user(id, false));
      if (directory_) directory_->forget_viewer(id);
    });
    return record_audit(c, u.updated_at, actor_id(actor), "user.update",
                        "user:" + std::to_string(u.id), actor.ip, describe(u));
  }));
  return updated;
}

namespace {

// What a person may read of the directory. Admins read everyone. Other staff read the contacts
// (to look up who wrote in) and, of the agents, only the colleagues a ticket may be assigned to;
// customers read none of it (the portal shows them only their own account).
enum class DirectoryReach { kEveryone, kAssignees, kNone };

DirectoryReach directory_reach(const Principal& actor, UserKind kind) {
  if (actor.can(Permission::kManageUsers)) return DirectoryReach::kEveryone;
  if (!actor.is_agent()) return DirectoryReach::kNone;
  return kind == UserKind::kAgents ? DirectoryReach::kAssignees : DirectoryReach::kEveryone;
}

}  // namespace

Result<User> UsersService::get(const Principal& actor, UserKind kind, std::int64_t id) {
  const auto reach = directory_reach(actor, kind);
  if (reach == DirectoryReach::kNone)
    return fail(ErrorCode::kPermissionDenied, "customers may not read the directory");
  GONGDAN_ASSIGN(auto found, store::read_value(db_, [&](store::Connection& c) {
                   return store::find_user(c, id);
                 }));
  if (!found || !kind_matches(kind, found->role) ||
      (reach == DirectoryReach::kAssignees && !can_be_assignee(*found)))
    return fail(ErrorCode::kNotFound, "no such user");
  return *found;
}

Result<UserPage> UsersService::list(const Principal& actor, UserKind kind, std::int64_t after_id,
                                    int limit, std::optional<std::int64_t> organization_id) {
  const auto reach = directory_reach(actor, kind);
  if (reach == DirectoryReach::kNone)
    return fail(ErrorCode::kPermissionDenied, "customers may not read the directory");
  UserPage page;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    // Assignees are the active agents of any role but light agents: read on past the others
    // until the page is full (a team's agents are few; the scan ends with the agents).
    for (;;) {
      GONGDAN_ASSIGN(auto rows, store::list_users(c, kind, after_id, limit + 1, organization_id));
      const bool last = static_cast<int>(rows.size()) <= limit;
      for (auto& u : rows) {
        after_id = u.id;
        if (reach == DirectoryReach::kAssignees && !can_be_assignee(u)) continue;
        page.items.push_back(std::move(u));
        if (static_cast<int>(page.items.size()) > limit) return {};
      }
      if (last) return {};
    }
  }));
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(limit);
    page.next_after = page.items.back().id;
  }
  return page;
}

Result<Identities> UsersService::identities(std::int64_t user_id) {
  Identities out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto rows, store::identities_of(c, user_id));
    for (auto& [kind, value] : rows) (kind == "email" ? out.emails : out.phones).push_back(value);
    return {};
  }));
  return out;
}

Result<std::map<std::int64_t, User>> UsersService::people(const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, User> out;
  if (ids.empty()) return out;
  std::vector<std::int64_t> unique = ids;
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto users, store::find_users(c, unique));
    for (auto& u : users) out.emplace(u.id, std::move(u));
    return {};
  }));
  return out;
}

Result<bool> UsersService::bootstrap_admin(std::string_view password) {
  GONGDAN_TRY(validate_password(password));
  GONGDAN_ASSIGN(auto hash, crypto::hash_password(password));
  bool created = false;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto count, store::count_users(c));
    if (count > 0) return {};
    User admin;
    admin.email = "admin@localhost";
    admin.name = "Administrator";
    admin.role = Role::kAdmin;
    admin.created_at = admin.updated_at = clock_.now_ms();
    GONGDAN_ASSIGN(admin.id, store::insert_user(c, admin, hash));
    created = true;
    return record_audit(c, admin.created_at, std::nullopt, "user.create", "user:1", "",
                        describe(admin));
  }));
  return created;
}

}  // namespace gongdan::services
