#include "services/ldap_service.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "services/audit.hpp"
#include "services/directory.hpp"
#include "services/external_accounts.hpp"
#include "services/job_kinds.hpp"
#include "services/job_queue.hpp"
#include "services/resource_load.hpp"
#include "services/resource_service.hpp"
#include "services/sign_in_provider.hpp"
#include "store/catalog_store.hpp"
#include "store/database.hpp"
#include "store/external_identities_store.hpp"
#include "store/resource_store.hpp"
#include "store/users_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

namespace json = boost::json;

constexpr std::string_view kGone = "gone from the directory";

std::string provider_of(const LdapDirectory& d) { return "ldap:" + std::to_string(d.id); }

// The filter for every person the directory holds: the user filter with * for the login.
std::string everyone_filter(const LdapDirectory& d) {
  std::string out = d.user_filter;
  for (auto at = out.find("{login}"); at != std::string::npos; at = out.find("{login}"))
    out.replace(at, 7, "*");
  return out;
}

Result<void> check_filter(std::string_view filter, std::string_view placeholder,
                          std::string_view field) {
  if (filter.empty()) return {};
  if (filter.front() != '(' || filter.back() != ')')
    return fail(ErrorCode::kInvalidArgument, "a filter is written in parentheses",
                std::string(field));
  if (!placeholder.empty() && filter.find(placeholder) == std::string_view::npos)
    return fail(ErrorCode::kInvalidArgument, "the filter must contain " + std::string(placeholder),
                std::string(field));
  int depth = 0;
  for (char ch : filter) {
    depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
    if (depth < 0) break;
  }
  if (depth != 0)
    return fail(ErrorCode::kInvalidArgument, "the parentheses do not match", std::string(field));
  return {};
}

Result<void> check_url(LdapDirectory& d) {
  if (!d.url.starts_with("ldap://") && !d.url.starts_with("ldaps://"))
    return fail(ErrorCode::kInvalidArgument, "use ldap://host:port or ldaps://host:port", "url");
  if (d.url.find_first_of(" \t\r\n") != std::string::npos)
    return fail(ErrorCode::kInvalidArgument, "a URL has no spaces", "url");
  return {};
}

std::vector<Bound<LdapDirectory>> directory_fields() {
  using D = LdapDirectory;
  return {
      field_of(&D::id, id_field()),
      field_of(&D::name, unique_name_field(100)),
      field_of(&D::active, active_field()),
      field_of(&D::url,
               text_field("url", {"Server URL", "服务器地址"},
                          {"ldap://host:389 or ldaps://host:636.",
                           "ldap://主机:389 或 ldaps://主机:636。"})
                   .required()
                   .max(500),
               check_url),
      field_of(&D::start_tls, switch_field("start_tls", {"StartTLS", "StartTLS"},
                                           {"Upgrade an ldap:// connection to TLS.",
                                            "将 ldap:// 连接升级为 TLS。"})),
      field_of(&D::bind_dn, text_field("bind_dn", {"Service account DN", "服务账号 DN"},
                                       {"Searches for people; empty: an anonymous search.",
                                        "用于查找用户；留空：匿名查询。"})
                                .max(1000)),
      field_of(&D::bind_password,
               secret_field("bind_password", {"Service account password", "服务账号密码"},
                            {"Stored encrypted.", "加密保存。"})
                   .sealed()
                   .max(1000)),
      field_of(&D::base_dn,
               text_field("base_dn", {"Base DN", "基准 DN"},
                          {"Where people and groups are searched.", "在此之下查找用户和组。"})
                   .required()
                   .max(1000)),
      field_of(&D::user_filter,
               text_field("user_filter", {"User filter", "用户过滤器"},
                          {"Finds a person by what they type at sign-in: {login}. Active "
                           "Directory: (&(objectClass=user)(userPrincipalName={login})).",
                           "按登录时输入的内容（{login}）查找用户。Active Directory："
                           "(&(objectClass=user)(userPrincipalName={login}))。"})
                   .max(1000),
               [](D& d) { return check_filter(d.user_filter, "{login}", "user_filter"); }),
      field_of(&D::email_attribute,
               text_field("email_attribute", {"Email attribute", "邮箱属性"}).range(1, 100)),
      field_of(&D::name_attribute,
               text_field("name_attribute", {"Name attribute", "姓名属性"}).range(1, 100)),
      field_of(&D::group_filter,
               text_field("group_filter", {"Group filter", "组过滤器"},
                          {"Finds the groups a person is in: {dn} is their DN. memberOf values "
                           "count too. Empty: memberOf only.",
                           "查找用户所在的组：{dn} 为用户的 DN。memberOf 属性也计入。"
                           "留空：只看 memberOf。"})
                   .max(1000),
               [](D& d) { return check_filter(d.group_filter, "{dn}", "group_filter"); }),
      mappings_field<D>({"Group mappings", "组映射"},
                        {"Each group's role and departments; a person in several gets the "
                         "highest role and every department.",
                         "每个组对应的角色和部门；属于多个组的用户取最高角色和全部部门。"},
                        {"group"}, R"("group": "cn=support,ou=groups,dc=example,dc=org")",
                        [](D& d) { return check_mappings(d.mappings); }),
      unmapped_field<D>({"Without a mapped group", "不在映射组中"}),
      field_of(&D::sync_minutes,
               integer_field("sync_minutes", {"Sync every (minutes)", "同步间隔（分钟）"},
                             {"Accounts gone from the directory are deactivated. 0: never.",
                              "目录中已删除的账号将被停用。0：不同步。"})
                   .range(0, 10080)),
      field_of(&D::last_sync_at, time_field("last_sync_at", {"Last sync", "上次同步"}).nullable()),
      field_of(&D::last_sync_result,
               text_field("last_sync_result", {"Last sync result", "上次同步结果"}).read_only()),
      field_of(&D::created_at, time_field("created_at")),
      field_of(&D::updated_at, time_field("updated_at")),
  };
}

std::string sync_summary(const DirectorySync& s) {
  return std::to_string(s.checked) + " checked, " + std::to_string(s.deactivated) + " deactivated";
}

}  // namespace

const Resource<LdapDirectory>& ldap_directory_resource() {
  static const Resource<LdapDirectory> r = declare<LdapDirectory>(
      sign_in_resource_info("ldap-directories", "ldap_directory", {"LDAP directories", "LDAP 目录"},
                            "ldap_directories"),
      directory_fields());
  return r;
}

LdapService::LdapService(store::Database& db, const Clock& clock, const SecretBox& secrets,
                         DirectoryConnector& connector, CredentialCache& cache,
                         Directory& directory, JobQueue& jobs)
    : db_(db),
      clock_(clock),
      secrets_(secrets),
      connector_(connector),
      cache_(cache),
      directory_(directory),
      jobs_(jobs) {}

void LdapService::add_to(Resources& resources) {
  Hooks<LdapDirectory> hooks;
  hooks.written = [this](store::Connection& c, const LdapDirectory& d, Change change) {
    if (change == Change::kRemove) return Result<void>{};
    return queue_next_sync(c, d);
  };
  resources.add(ldap_directory_resource(), std::move(hooks));
}

Result<DirectoryServer> LdapService::server_of(const LdapDirectory& d) const {
  DirectoryServer s{d.url, d.start_tls, d.bind_dn, {}, d.base_dn};
  if (!d.bind_password.empty()) {
    GONGDAN_ASSIGN(s.bind_password, secrets_.open(d.bind_password));
  }
  return s;
}

Result<std::vector<std::string>> LdapService::groups_of(const LdapDirectory& d,
                                                        const DirectoryServer& server,
                                                        const DirectoryEntry& entry) {
  auto groups = entry.all("memberOf");
  if (d.group_filter.empty()) return groups;
  GONGDAN_ASSIGN(auto found, connector_.search(server, fill_filter(d.group_filter, "dn", entry.dn),
                                               {"1.1"}, 1000));
  for (auto& g : found) groups.push_back(std::move(g.dn));
  return groups;
}

Result<std::optional<User>> LdapService::sign_in(std::string_view login, std::string_view password,
                                                 std::string_view ip) {
  if (password.empty()) return std::optional<User>{};  // an empty password binds anonymously
  GONGDAN_ASSIGN(auto directories, load_all(db_, ldap_directory_resource()));
  std::optional<Error> unreachable;
  for (const auto& d : directories) {
    if (!d.active) continue;
    auto server = server_of(d);
    if (!server) return fail(server.error());
    auto found = connector_.search(*server, fill_filter(d.user_filter, "login", login),
                                   {d.email_attribute, d.name_attribute, "memberOf"}, 2);
    if (!found) {
      unreachable = found.error();
      continue;
    }
    if (found->size() != 1) continue;  // nobody, or a filter that is not unique: not this one
    const auto& entry = found->front();
    GONGDAN_ASSIGN(bool accepted, connector_.check_password(*server, entry.dn, password));
    if (!accepted) return std::optional<User>{};
    GONGDAN_ASSIGN(auto groups, groups_of(d, *server, entry));
    auto account = map_groups(d, groups);
    if (!account)
      return fail(ErrorCode::kPermissionDenied,
                  "your directory groups give you no access here; ask an administrator");
    GONGDAN_ASSIGN(auto user, provision(d, entry, *account, ip));
    return std::optional<User>(std::move(user));
  }
  if (unreachable)
    return fail(ErrorCode::kUnavailable,
                "the directory cannot be reached; try again later (accounts with a password of "
                "their own here can still sign in)");
  return std::optional<User>{};
}

Result<User> LdapService::provision(const LdapDirectory& d, const DirectoryEntry& entry,
                                    const MappedAccount& account, std::string_view ip) {
  return provision_external_account(
      db_, clock_, cache_, directory_,
      {provider_of(d), normalize_dn(entry.dn), entry.first(d.email_attribute),
       entry.first(d.name_attribute), account, true},
      ip);
}

Result<DirectoryTest> LdapService::test(const Principal& admin, std::int64_t id,
                                        std::string_view login) {
  GONGDAN_TRY(require(admin, Permission::kManageSettings, "test a directory"));
  GONGDAN_ASSIGN(auto d, load_one(db_, ldap_directory_resource(), id));
  if (!d) return fail(ErrorCode::kNotFound, "no such ldap_directory");
  GONGDAN_ASSIGN(auto server, server_of(*d));
  DirectoryTest out;
  auto sample = connector_.search(server, everyone_filter(*d), {"1.1"}, 5);
  if (!sample) {
    out.message = sample.error().message;
    return out;
  }
  out.ok = true;
  for (auto& e : *sample) out.sample.push_back(std::move(e.dn));
  out.message = "the service account searched the directory";
  if (login.empty()) return out;
  auto found = connector_.search(server, fill_filter(d->user_filter, "login", login),
                                 {d->email_attribute, d->name_attribute, "memberOf"}, 2);
  if (!found) {
    out.ok = false;
    out.message = found.error().message;
    return out;
  }
  if (found->size() != 1) {
    out.message = found->empty() ? "nobody matches this login" : "several entries match this login";
    return out;
  }
  const auto& entry = found->front();
  out.dn = entry.dn;
  out.email = entry.first(d->email_attribute);
  out.name = entry.first(d->name_attribute);
  auto groups = groups_of(*d, server, entry);
  if (!groups) {
    out.ok = false;
    out.message = groups.error().message;
    return out;
  }
  out.groups = *groups;
  out.account = map_groups(*d, out.groups);
  return out;
}

Result<DirectorySync> LdapService::sync_now(const Principal& admin, std::int64_t id) {
  GONGDAN_TRY(require(admin, Permission::kManageSettings, "sync a directory"));
  GONGDAN_ASSIGN(auto d, load_one(db_, ldap_directory_resource(), id));
  if (!d) return fail(ErrorCode::kNotFound, "no such ldap_directory");
  return sync(*d, admin.user.id, admin.ip);
}

Result<void> LdapService::run_sync_job(std::int64_t directory_id) {
  GONGDAN_ASSIGN(auto d, load_one(db_, ldap_directory_resource(), directory_id));
  if (!d || !d->active || d->sync_minutes == 0) return {};  // removed or turned off: no more
  // A failed sync is kept in last_sync_result for the admin's page; the next one is queued
  // either way, so a retry of this job would only run it twice.
  (void)sync(*d, std::nullopt, "");
  return db_.write([&](store::Connection& c) { return queue_next_sync(c, *d); });
}

Result<DirectorySync> LdapService::sync(const LdapDirectory& d, std::optional<std::int64_t> actor,
                                        std::string_view ip) {
  GONGDAN_ASSIGN(auto server, server_of(d));
  DirectorySync out;
  auto entries = connector_.search(server, everyone_filter(d), {"1.1"}, 0);
  const Millis now = clock_.now_ms();
  std::vector<std::int64_t> ended;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    std::string result;
    if (!entries) {
      result = "failed: " + entries.error().message;
    } else {
      std::set<std::string> present;
      for (const auto& e : *entries) present.insert(normalize_dn(e.dn));
      GONGDAN_ASSIGN(auto linked, store::active_identities_of(c, provider_of(d)));
      out.checked = static_cast<std::int64_t>(linked.size());
      // An empty answer is more likely a wrong filter than everyone gone: nobody is touched.
      if (present.empty() && !linked.empty()) {
        result = "the search found nobody; no account was deactivated";
      } else {
        for (const auto& identity : linked) {
          if (present.contains(identity.subject)) continue;
          GONGDAN_ASSIGN(bool deactivated, store::deactivate_user(c, identity.user_id, now));
          if (!deactivated) continue;
          ++out.deactivated;
          ended.push_back(identity.user_id);
          GONGDAN_TRY(record_audit(
              c, now, actor, "user.deactivate", "user:" + std::to_string(identity.user_id), ip,
              json::serialize(json::object{{"via", provider_of(d)}, {"reason", kGone}})));
        }
        result = sync_summary(out);
      }
    }
    return store::run(c,
                      "UPDATE ldap_directories SET last_sync_at = ?, last_sync_result = ? WHERE "
                      "id = ?",
                      now, result, d.id);
  }));
  for (auto id : ended) cache_.evict(CredentialTarget::user(id));
  if (!ended.empty()) directory_.invalidate_viewers();
  if (!entries) return fail(entries.error());
  return out;
}

Result<void> LdapService::queue_next_sync(store::Connection& c, const LdapDirectory& d) {
  if (!d.active || d.sync_minutes <= 0) return {};
  // Runs fall on multiples of the interval, so every path that queues the next one (a save, the
  // job itself) names the same run and the idempotency key keeps it to one.
  const Millis interval = d.sync_minutes * 60 * 1000;
  const Millis run_at = (clock_.now_ms() / interval + 1) * interval;
  NewJob job;
  job.kind = std::string(kLdapSyncJob);
  job.payload = json::serialize(json::object{{"directory", d.id}});
  job.run_at = run_at;
  job.idempotency_key = "ldap_sync:" + std::to_string(d.id) + ":" + std::to_string(run_at);
  GONGDAN_TRY(jobs_.enqueue(c, job));
  return {};
}

}  // namespace gongdan::services
