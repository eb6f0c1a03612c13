#include "services/external_accounts.hpp"

#include <boost/json.hpp>

#include "services/audit.hpp"
#include "services/directory.hpp"
#include "store/catalog_store.hpp"
#include "store/database.hpp"
#include "store/external_identities_store.hpp"
#include "store/resource_store.hpp"
#include "store/users_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

namespace json = boost::json;

// The linked account, else the one holding the email (unless it has a password of its own).
Result<std::optional<User>> existing_account(store::Connection& c, const ExternalPerson& p) {
  GONGDAN_ASSIGN(auto linked, store::find_linked_user(c, p.provider, p.subject));
  if (linked) return store::find_user(c, *linked);
  GONGDAN_ASSIGN(auto by_email, store::find_user_by_email(c, p.email));
  if (by_email && by_email->password_hash && !by_email->password_hash->empty())
    return fail(ErrorCode::kConflict, "an account with this email signs in with its own password");
  if (by_email) return std::optional<User>(by_email->user);
  return std::optional<User>{};
}

Result<void> set_departments(store::Connection& c, const User& user,
                             const std::vector<std::int64_t>& wanted) {
  if (!is_agent_role(user.role)) return {};
  std::vector<std::int64_t> departments;
  for (auto id : wanted) {
    GONGDAN_ASSIGN(bool exists, store::item_exists(c, "departments", id));
    if (exists) departments.push_back(id);
  }
  return store::set_departments_of_agent(c, user.id, departments);
}

}  // namespace

std::string safe_return_to(std::string_view to) {
  if (to.empty() || to.front() != '/' || to.starts_with("//") || to.starts_with("/\\") ||
      to.size() > 500 || to.find_first_of("\r\n") != std::string_view::npos)
    return "/desk";
  return std::string(to);
}

Result<User> provision_external_account(store::Database& db, const Clock& clock,
                                        CredentialCache& cache, Directory& directory,
                                        const ExternalPerson& p, std::string_view ip) {
  if (p.email.empty() || p.email.size() > 254 || p.email.find('@') == std::string::npos)
    return fail(ErrorCode::kPermissionDenied,
                "no usable email address came with your sign-in; ask an administrator");
  const std::string name = text::cut_utf8(p.name, kMaxNameLength);
  User user;
  GONGDAN_TRY(db.write([&](store::Connection& c) -> Result<void> {
    const Millis now = clock.now_ms();
    GONGDAN_ASSIGN(auto existing, existing_account(c, p));
    const std::string via = json::serialize(json::object{{"via", p.provider}});
    if (existing) {
      user = *existing;
      // A custom role an admin gave stays while the mapping says staff; a mapping to the
      // customer role (or a built-in role for someone without one) applies as before.
      const bool keeps_custom = user.role_id && is_agent_role(p.account.role);
      const bool changed_role = !keeps_custom && user.role != p.account.role;
      if (!keeps_custom) {
        user.role = p.account.role;
        user.role_id.reset();
      }
      if (!name.empty()) user.name = name;
      user.updated_at = now;
      GONGDAN_TRY(store::update_user(c, user));
      if (changed_role)
        GONGDAN_TRY(record_audit(
            c, now, std::nullopt, "user.role", "user:" + std::to_string(user.id), ip,
            json::serialize(json::object{{"role", role_name(user.role)}, {"via", p.provider}})));
    } else {
      if (!p.may_create)
        return fail(ErrorCode::kPermissionDenied,
                    "there is no account here for " + p.email + "; ask an administrator");
      user.role = p.account.role;
      user.email = p.email;
      user.name = name.empty() ? p.email : name;
      user.created_at = user.updated_at = now;
      GONGDAN_ASSIGN(auto id, store::insert_user_unless_taken(c, user));
      if (!id) return fail(ErrorCode::kConflict, "an account with this email was just made");
      user.id = *id;
      GONGDAN_TRY(record_audit(c, now, std::nullopt, "user.create", "user:" + std::to_string(*id),
                               ip, via));
    }
    GONGDAN_TRY(set_departments(c, user, p.account.departments));
    return store::link_identity(c, user.id, p.provider, p.subject, now);
  }));
  cache.evict(CredentialTarget::user(user.id));
  directory.invalidate_viewers();
  return user;
}

}  // namespace gongdan::services
