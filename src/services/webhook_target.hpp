// Where a webhook may post to. Only http and https; a host that is (or resolves to) a private,
// loopback, link-local or otherwise internal address is refused unless the admin allow-listed
// it in `webhook_allow_hosts` (SSRF). The name check here runs when the webhook is saved; the
// sender checks the address it actually connects to.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace gongdan::services {

struct WebhookTarget {
  std::string scheme;  // http or https
  std::string host;    // a name or an IP address, without brackets
  int port = 0;
  bool host_is_ip = false;
};

Result<WebhookTarget> parse_webhook_url(std::string_view url);
bool host_allow_listed(const std::vector<std::string>& allow_hosts, std::string_view host);
// Refuses an IP-literal (or "localhost") target on an internal address that is not
// allow-listed; names are checked again, after resolution, by the sender.
Result<void> check_target_literal(const WebhookTarget& target,
                                  const std::vector<std::string>& allow_hosts);
// The error for a refused address, naming the fix.
Error refused_target(std::string_view host, std::string_view address, std::string_view why);

}  // namespace gongdan::services
