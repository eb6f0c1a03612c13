// Sign-in against LDAP or Active Directory. An admin declares a directory (the resource
// `ldap-directories`): where it is, the service account that searches it, the filter that finds
// a person by what they type at sign-in, and which groups give which role and departments.
//
// A sign-in whose account has no password of its own here (or no account yet) is tried against
// each active directory in turn: search as the service account, then bind as the person's entry
// with the password typed (never with an empty one: that is an anonymous bind, which succeeds).
// The first time, the account is made just in time from the entry's email and name; every time,
// its role and departments follow its groups. Accounts with a local password (the admins who
// set the server up) never depend on the directory, so they sign in when it is down.
//
// A periodic job (ldap_sync, every sync_minutes) deactivates the accounts linked to a
// directory whose entries are gone from it, and ends their sessions.
#pragma once

#include <string>
#include <vector>

#include "domain/ldap_directory.hpp"
#include "domain/resource.hpp"
#include "services/auth_service.hpp"
#include "services/credential_cache.hpp"
#include "services/principal.hpp"
#include "services/secret_box.hpp"
#include "services/store_fwd.hpp"

namespace gongdan::services {

class Directory;
class JobQueue;
class Resources;

// How to reach a directory, its service password opened.
struct DirectoryServer {
  std::string url;
  bool start_tls = false;
  std::string bind_dn;
  std::string bind_password;
  std::string base_dn;
};

// The LDAP protocol itself; channels/directory/ldap_client implements it with libldap. Errors:
// kUnavailable when the server cannot be reached (or times out), kInvalidArgument when it
// refuses the service account or the search (a wrong DN, filter or password in the settings).
class DirectoryConnector {
 public:
  virtual ~DirectoryConnector() = default;
  // Binds as the service account (anonymously when bind_dn is empty) and searches the subtree
  // under base_dn; at most `limit` entries (0: as many as the server gives).
  virtual Result<std::vector<DirectoryEntry>> search(const DirectoryServer& server,
                                                     std::string_view filter,
                                                     const std::vector<std::string>& attributes,
                                                     int limit) = 0;
  // Whether the server accepts `password` for `dn`.
  virtual Result<bool> check_password(const DirectoryServer& server, std::string_view dn,
                                      std::string_view password) = 0;
};

// What the admin's "test" shows: whether the server answered the service account's search, a
// few entries it found, and, for a login given, who that is and what their groups give.
struct DirectoryTest {
  bool ok = false;
  std::string message;
  std::vector<std::string> sample;  // DNs
  std::string dn;                   // of the login, when found
  std::string email;
  std::string name;
  std::vector<std::string> groups;
  std::optional<MappedAccount> account;
};

struct DirectorySync {
  std::int64_t checked = 0;      // linked, active accounts looked for
  std::int64_t deactivated = 0;  // of those, gone from the directory
};

const Resource<LdapDirectory>& ldap_directory_resource();

class LdapService : public PasswordDirectory {
 public:
  LdapService(store::Database& db, const Clock& clock, const SecretBox& secrets,
              DirectoryConnector& connector, CredentialCache& cache, Directory& directory,
              JobQueue& jobs);

  void add_to(Resources& resources);

  // PasswordDirectory: the account `login` signs in as, made or brought up to date; nullopt
  // for a login no directory knows or a wrong password; 403 when the groups give no access;
  // 503 when no directory could be asked.
  Result<std::optional<User>> sign_in(std::string_view login, std::string_view password,
                                      std::string_view ip) override;

  Result<DirectoryTest> test(const Principal& admin, std::int64_t id, std::string_view login);
  // The sync of one directory now (an admin's button), or as the job (ldap_sync, payload
  // {"directory": id}), which then queues the next.
  Result<DirectorySync> sync_now(const Principal& admin, std::int64_t id);
  Result<void> run_sync_job(std::int64_t directory_id);

 private:
  Result<DirectoryServer> server_of(const LdapDirectory& d) const;
  // The groups the entry belongs to: its memberOf values and the group filter's answers.
  Result<std::vector<std::string>> groups_of(const LdapDirectory& d, const DirectoryServer& server,
                                             const DirectoryEntry& entry);
  Result<User> provision(const LdapDirectory& d, const DirectoryEntry& entry,
                         const MappedAccount& account, std::string_view ip);
  Result<DirectorySync> sync(const LdapDirectory& d, std::optional<std::int64_t> actor,
                             std::string_view ip);
  Result<void> queue_next_sync(store::Connection& c, const LdapDirectory& d);

  store::Database& db_;
  const Clock& clock_;
  const SecretBox& secrets_;
  DirectoryConnector& connector_;
  CredentialCache& cache_;
  Directory& directory_;
  JobQueue& jobs_;
};

}  // namespace gongdan::services
