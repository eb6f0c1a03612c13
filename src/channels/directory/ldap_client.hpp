// The LDAP protocol for services/ldap_service.hpp, with OpenLDAP's libldap: one connection per
// call (sign-ins are rare next to requests, and a connection kept open would need its own
// health checks), protocol version 3, no referrals chased, and a timeout on connecting and on
// every operation so a directory that hangs cannot hold a sign-in for long.
#pragma once

#include "services/ldap_service.hpp"

namespace gongdan::channels {

class LdapClient : public services::DirectoryConnector {
 public:
  explicit LdapClient(int timeout_seconds = 5) : timeout_seconds_(timeout_seconds) {}

  Result<std::vector<DirectoryEntry>> search(const services::DirectoryServer& server,
                                             std::string_view filter,
                                             const std::vector<std::string>& attributes,
                                             int limit) override;
  Result<bool> check_password(const services::DirectoryServer& server, std::string_view dn,
                              std::string_view password) override;

 private:
  int timeout_seconds_;
};

}  // namespace gongdan::channels
