// LDAP directories beyond their declared CRUD (resource `ldap-directories`): the admin's test
// of a directory's settings, and a sync now.
#include "api/context.hpp"
#include "api/dispatcher.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "services/ldap_service.hpp"

namespace gongdan::api {
namespace {

json::array strings(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& v : values) out.emplace_back(v);
  return out;
}

Result<Response> test_directory(services::LdapService& ldap, Request& request) {
  GONGDAN_ASSIGN(auto id, path_id(request, "id", "ldap_directory"));
  std::string login;
  if (!request.body.empty()) {
    GONGDAN_ASSIGN(auto body, parse_object(request.body, {"login"}));
    GONGDAN_ASSIGN(auto given, optional_string(body, "login", 254));
    login = given.value_or("");
  }
  GONGDAN_ASSIGN(auto t, ldap.test(request.who(), id, login));
  json::object out{{"ok", t.ok}, {"message", t.message}, {"sample", strings(t.sample)}};
  if (!t.dn.empty()) {
    json::object account;
    if (t.account) {
      json::array departments;
      for (auto d : t.account->departments) departments.emplace_back(d);
      account = json::object{{"role", role_name(t.account->role)},
                             {"departments", std::move(departments)}};
    }
    out["person"] = json::object{
        {"dn", t.dn},
        {"email", t.email},
        {"name", t.name},
        {"groups", strings(t.groups)},
        {"account", t.account ? json::value(std::move(account)) : json::value(nullptr)}};
  }
  return json_response(200, std::move(out));
}

Result<Response> sync_directory(services::LdapService& ldap, Request& request) {
  GONGDAN_ASSIGN(auto id, path_id(request, "id", "ldap_directory"));
  if (!request.body.empty()) GONGDAN_TRY(parse_object(request.body, {}));
  GONGDAN_ASSIGN(auto s, ldap.sync_now(request.who(), id));
  return json_response(200, json::object{{"checked", s.checked}, {"deactivated", s.deactivated}});
}

using namespace schema;

}  // namespace

void add_ldap_routes(Router& router, ApiContext& ctx) {
  if (!ctx.ldap) return;
  auto& ldap = *ctx.ldap;
  router.define_schema(
      "LdapDirectoryTest",
      object({{"ok", boolean()},
              {"message", string()},
              {"sample", array_of(string()).describe("DNs of a few entries the search found.")},
              {"person", object({{"dn", string()},
                                 {"email", string()},
                                 {"name", string()},
                                 {"groups", array_of(string())},
                                 {"account", nullable(object({{"role", string()},
                                                              {"departments", array_of(integer())}})
                                                          .require_all())}})
                             .require_all()}})
          .require({"ok", "message", "sample"}));
  router.add(
      "POST", "/api/v1/ldap-directories/{id}/test", Access::kSignedIn, "sign-in",
      "Test a directory's settings: the service account's search, and who a login is (admins)",
      doc("testLdapDirectory")
          .describe("200 whatever the directory answered: `ok` false with the directory's "
                    "`message` when it cannot be reached or refuses the service account or the "
                    "search. With a `login`, `person` is the entry it finds, its groups and the "
                    "role and departments they give (`account` null: no access). Nothing is "
                    "written.")
          .path("id", integer())
          .body(object({{"login", string().max_length(254)}}))
          .optional_body()
          .returns(200, ref("LdapDirectoryTest"))
          .errors({403, 404}),
      [&ldap](Request& r) { return answer(test_directory(ldap, r)); });
  router.add(
      "POST", "/api/v1/ldap-directories/{id}/sync", Access::kSignedIn, "sign-in",
      "Sync a directory now: deactivate the accounts gone from it (admins; audited)",
      doc("syncLdapDirectory")
          .describe("What the periodic sync does, now. An account linked to this directory "
                    "whose entry the user filter no longer finds is deactivated and its "
                    "sessions end (audited `user.deactivate`). A search that finds nobody "
                    "deactivates nobody. 503 when the directory cannot be reached.")
          .path("id", integer())
          .body(object())
          .optional_body()
          .returns(200, object({{"checked", integer()}, {"deactivated", integer()}}).require_all())
          .errors({400, 403, 404, 503}),
      [&ldap](Request& r) { return answer(sync_directory(ldap, r)); });
}

}  // namespace gongdan::api
