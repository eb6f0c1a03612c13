// Managing people: agents (admin, supervisor, agent, light agent) and customers. Decides who may
// create or change whom, validates every field, and audits each change in the same transaction.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "domain/user.hpp"
#include "services/credential_cache.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

struct NewUser {
  std::string email;
  std::string name;
  Role role = Role::kAgent;
  std::string locale = "en";
  std::string time_zone = "UTC";
  std::optional<std::string> password;
  std::string notes;
  std::optional<std::int64_t> organization_id;  // contacts only
  std::vector<std::string> emails;              // more addresses of a contact
  std::vector<std::string> phones;
  std::optional<std::int64_t> role_id;  // a custom role (staff only); `role` then follows from it
};

struct UserChanges {
  std::optional<std::string> email;
  std::optional<std::string> name;
  std::optional<Role> role;  // a built-in role: any custom role goes
  // A custom role, or null for none (then `role`, or the built-in role the person counts as).
  std::optional<std::optional<std::int64_t>> role_id;
  std::optional<std::string> locale;
  std::optional<std::string> time_zone;
  std::optional<bool> active;
  std::optional<std::string> password;
  std::optional<std::string> notes;
  std::optional<std::optional<std::int64_t>> organization_id;
  std::optional<std::vector<std::string>> emails;
  std::optional<std::vector<std::string>> phones;
};

// A contact's other emails and phones.
struct Identities {
  std::vector<std::string> emails;
  std::vector<std::string> phones;
};

struct UserPage {
  std::vector<User> items;
  std::optional<std::int64_t> next_after;  // the cursor: last id of this page
};

bool time_zone_exists(std::string_view zone);

class UsersService {
 public:
  UsersService(store::Database& db, const Clock& clock, CredentialCache& cache)
      : db_(db), clock_(clock), cache_(cache) {}

  Result<User> create(const Principal& actor, UserKind kind, NewUser user);
  // The customer create() would make of `fields`, cleaned and checked as it checks them (email,
  // name, locale, time zone, password) but not stored: a sign-up creates the account only later.
  static Result<User> new_customer(NewUser fields);
  Result<User> update(const Principal& actor, UserKind kind, std::int64_t id,
                      const UserChanges& changes);
  // One's own name, language and time zone (every other field is ignored); audited.
  Result<User> update_profile(const Principal& actor, const UserChanges& changes);
  // Admins read everyone; other staff read every contact and, of the agents, only those a ticket
  // may be assigned to (can_be_assignee); customers read no one here.
  Result<User> get(const Principal& actor, UserKind kind, std::int64_t id);
  // With `organization_id`: only the customers in that organization.
  Result<UserPage> list(const Principal& actor, UserKind kind, std::int64_t after_id, int limit,
                        std::optional<std::int64_t> organization_id = std::nullopt);
  Result<Identities> identities(std::int64_t user_id);
  // Names and emails of the given people, for display next to tickets the caller may see.
  Result<std::map<std::int64_t, User>> people(const std::vector<std::int64_t>& ids);
  // Creates admin@localhost when there are no users at all. Returns true when it did.
  Result<bool> bootstrap_admin(std::string_view password);

 private:
  store::Database& db_;
  const Clock& clock_;
  CredentialCache& cache_;
  class Directory* directory_ = nullptr;

 public:
  // Told when a contact changes organization, which changes what they may see.
  void set_directory(class Directory* directory) { directory_ = directory; }
};

}  // namespace gongdan::services
