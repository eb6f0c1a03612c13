#include "services/webhook_target.hpp"

#include <boost/url.hpp>

#include "domain/network_address.hpp"
#include "util/text.hpp"

namespace gongdan::services {

Result<WebhookTarget> parse_webhook_url(std::string_view url) {
  if (url.empty() || url.size() > 2000)
    return fail(ErrorCode::kInvalidArgument, "must be a URL of at most 2000 bytes", "url");
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return fail(ErrorCode::kInvalidArgument, "is not a valid absolute URL", "url");
  WebhookTarget t;
  t.scheme = text::to_lower_ascii(parsed->scheme());
  if (t.scheme != "http" && t.scheme != "https")
    return fail(ErrorCode::kInvalidArgument, "must be an http or https URL", "url");
  switch (parsed->host_type()) {
    case boost::urls::host_type::ipv4:
      t.host = parsed->host_ipv4_address().to_string();
      t.host_is_ip = true;
      break;
    case boost::urls::host_type::ipv6:
      t.host = parsed->host_ipv6_address().to_string();
      t.host_is_ip = true;
      break;
    case boost::urls::host_type::name:
      t.host = text::to_lower_ascii(parsed->host_name());
      break;
    default:
      return fail(ErrorCode::kInvalidArgument, "must name a host", "url");
  }
  if (t.host.empty()) return fail(ErrorCode::kInvalidArgument, "must name a host", "url");
  if (parsed->has_userinfo())
    return fail(ErrorCode::kInvalidArgument, "must not carry a user name or password", "url");
  if (parsed->has_port()) {
    const auto port = parsed->port_number();
    if (port == 0) return fail(ErrorCode::kInvalidArgument, "has an invalid port", "url");
    t.port = port;
  } else {
    t.port = t.scheme == "https" ? 443 : 80;
  }
  return t;
}

bool host_allow_listed(const std::vector<std::string>& allow_hosts, std::string_view host) {
  const std::string lower = text::to_lower_ascii(host);
  for (const auto& allowed : allow_hosts) {
    std::string a = text::to_lower_ascii(allowed);
    if (a.size() > 2 && a.front() == '[' && a.back() == ']') a = a.substr(1, a.size() - 2);
    if (a == lower) return true;
  }
  return false;
}

Error refused_target(std::string_view host, std::string_view address, std::string_view why) {
  std::string where(host);
  if (address != host) where += " (" + std::string(address) + ")";
  return Error{ErrorCode::kInvalidArgument,
               "refused to call " + where + ": it is " + std::string(why) +
                   "; an admin may allow the host in webhook_allow_hosts",
               "url"};
}

Result<void> check_target_literal(const WebhookTarget& target,
                                  const std::vector<std::string>& allow_hosts) {
  if (host_allow_listed(allow_hosts, target.host)) return {};
  if (target.host == "localhost" || target.host.ends_with(".localhost"))
    return fail(
        refused_target(target.host, target.host, address_class_name(AddressClass::kLoopback)));
  if (!target.host_is_ip) return {};
  const auto c = classify_address(target.host);
  if (c != AddressClass::kPublic)
    return fail(refused_target(target.host, target.host, address_class_name(c)));
  return {};
}

}  // namespace gongdan::services
