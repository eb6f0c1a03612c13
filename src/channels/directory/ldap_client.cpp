#include "channels/directory/ldap_client.hpp"

#include <ldap.h>

#include <memory>

namespace gongdan::channels {
namespace {

struct LdapCloser {
  void operator()(LDAP* ld) const { ldap_unbind_ext_s(ld, nullptr, nullptr); }
};
using LdapHandle = std::unique_ptr<LDAP, LdapCloser>;

struct MessageFree {
  void operator()(LDAPMessage* m) const { ldap_msgfree(m); }
};

bool unreachable(int rc) {
  return rc == LDAP_SERVER_DOWN || rc == LDAP_TIMEOUT || rc == LDAP_CONNECT_ERROR ||
         rc == LDAP_UNAVAILABLE || rc == LDAP_BUSY;
}

Error ldap_error(int rc, std::string_view doing) {
  const std::string message = std::string(doing) + ": " + ldap_err2string(rc);
  return Error{
      unreachable(rc) ? ErrorCode::kUnavailable : ErrorCode::kInvalidArgument, message, {}};
}

Result<LdapHandle> open_directory(const services::DirectoryServer& server, int timeout_seconds) {
  LDAP* raw = nullptr;
  int rc = ldap_initialize(&raw, server.url.c_str());
  if (rc != LDAP_SUCCESS) return fail(ldap_error(rc, "the server URL"));
  LdapHandle ld(raw);
  const int version = LDAP_VERSION3;
  ldap_set_option(ld.get(), LDAP_OPT_PROTOCOL_VERSION, &version);
  ldap_set_option(ld.get(), LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
  timeval timeout{timeout_seconds, 0};
  ldap_set_option(ld.get(), LDAP_OPT_NETWORK_TIMEOUT, &timeout);
  ldap_set_option(ld.get(), LDAP_OPT_TIMEOUT, &timeout);
  if (server.start_tls) {
    rc = ldap_start_tls_s(ld.get(), nullptr, nullptr);
    if (rc != LDAP_SUCCESS) return fail(ldap_error(rc, "StartTLS"));
  }
  return ld;
}

// A simple bind; LDAP_INVALID_CREDENTIALS is an answer (false), not an error.
Result<bool> simple_bind(LDAP* ld, std::string_view dn, std::string_view password) {
  berval credentials{static_cast<ber_len_t>(password.size()), const_cast<char*>(password.data())};
  const std::string who(dn);
  const int rc = ldap_sasl_bind_s(ld, who.empty() ? nullptr : who.c_str(), LDAP_SASL_SIMPLE,
                                  &credentials, nullptr, nullptr, nullptr);
  if (rc == LDAP_SUCCESS) return true;
  if (rc == LDAP_INVALID_CREDENTIALS || rc == LDAP_INVALID_DN_SYNTAX ||
      rc == LDAP_UNWILLING_TO_PERFORM)
    return false;
  return fail(ldap_error(rc, "bind"));
}

DirectoryEntry read_entry(LDAP* ld, LDAPMessage* message) {
  DirectoryEntry entry;
  if (char* dn = ldap_get_dn(ld, message)) {
    entry.dn = dn;
    ldap_memfree(dn);
  }
  BerElement* ber = nullptr;
  for (char* name = ldap_first_attribute(ld, message, &ber); name;
       name = ldap_next_attribute(ld, message, ber)) {
    std::vector<std::string> values;
    if (berval** found = ldap_get_values_len(ld, message, name)) {
      for (berval** v = found; *v; ++v) values.emplace_back((*v)->bv_val, (*v)->bv_len);
      ldap_value_free_len(found);
    }
    entry.attributes.emplace_back(name, std::move(values));
    ldap_memfree(name);
  }
  if (ber) ber_free(ber, 0);
  return entry;
}

}  // namespace

Result<std::vector<DirectoryEntry>> LdapClient::search(const services::DirectoryServer& server,
                                                       std::string_view filter,
                                                       const std::vector<std::string>& attributes,
                                                       int limit) {
  GONGDAN_ASSIGN(auto ld, open_directory(server, timeout_seconds_));
  GONGDAN_ASSIGN(bool bound, simple_bind(ld.get(), server.bind_dn, server.bind_password));
  if (!bound) return fail(ErrorCode::kInvalidArgument, "the directory refused the service account");
  std::vector<char*> names;
  for (const auto& a : attributes) names.push_back(const_cast<char*>(a.c_str()));
  names.push_back(nullptr);
  timeval timeout{timeout_seconds_, 0};
  LDAPMessage* raw = nullptr;
  const std::string base = server.base_dn;
  const std::string wanted(filter);
  const int rc = ldap_search_ext_s(ld.get(), base.c_str(), LDAP_SCOPE_SUBTREE, wanted.c_str(),
                                   names.data(), 0, nullptr, nullptr, &timeout, limit, &raw);
  std::unique_ptr<LDAPMessage, MessageFree> result(raw);
  // A limit of ours reached still brings the entries up to it: enough for "is there exactly
  // one". The server's own limit cutting a full listing short is an error: the sync would take
  // the people left out for gone.
  if (rc == LDAP_SIZELIMIT_EXCEEDED && limit == 0)
    return fail(ErrorCode::kInvalidArgument,
                "the directory's size limit cut the list short; raise it for the service account");
  if (rc != LDAP_SUCCESS && rc != LDAP_SIZELIMIT_EXCEEDED && rc != LDAP_NO_SUCH_OBJECT)
    return fail(ldap_error(rc, "search"));
  std::vector<DirectoryEntry> out;
  if (!result) return out;
  for (LDAPMessage* e = ldap_first_entry(ld.get(), result.get()); e;
       e = ldap_next_entry(ld.get(), e))
    out.push_back(read_entry(ld.get(), e));
  return out;
}

Result<bool> LdapClient::check_password(const services::DirectoryServer& server,
                                        std::string_view dn, std::string_view password) {
  if (password.empty() || dn.empty()) return false;  // an unauthenticated bind proves nothing
  GONGDAN_ASSIGN(auto ld, open_directory(server, timeout_seconds_));
  return simple_bind(ld.get(), dn, password);
}

}  // namespace gongdan::channels
