#include "http/wire.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>

#include "util/request_id.hpp"
#include "util/text.hpp"

namespace gongdan::http {
namespace {

bool is_trusted(std::string_view ip, const std::vector<ip::Range>& trusted) {
  return ip::any_contains(trusted, ip);
}

}  // namespace

Result<void> to_api_head(const BeastRequest& in, api::Request& out) {
  out.method = std::string(in.method_string());
  auto target = boost::urls::parse_origin_form(in.target());
  if (!target) return fail(ErrorCode::kInvalidArgument, "the request target is not valid");
  out.path = target->path();
  if (!text::is_valid_utf8(out.path))
    return fail(ErrorCode::kInvalidArgument, "the request path is not valid UTF-8");
  for (auto param : target->params()) {
    out.query.emplace_back(param.key, param.value);
  }
  out.headers.reserve(16);
  for (const auto& field : in) {
    out.headers.emplace_back(text::to_lower_ascii(field.name_string()), std::string(field.value()));
  }
  return {};
}

Result<void> to_api_request(BeastRequest& in, api::Request& out) {
  GONGDAN_TRY(to_api_head(in, out));
  out.body = std::move(in.body());
  return {};
}

void apply_client_address(api::Request& request, const std::string& peer_ip,
                          const std::vector<ip::Range>& trusted_proxies) {
  request.ip = peer_ip;
  request.request_id = new_request_id();
  if (trusted_proxies.empty() || !is_trusted(peer_ip, trusted_proxies)) return;
  if (auto id = request.header("x-request-id"); id && is_valid_request_id(*id))
    request.request_id = std::string(*id);
  if (auto forwarded = request.header("x-forwarded-for")) {
    auto hops = text::split(*forwarded, ',');
    // The rightmost address that is not one of our proxies is the real client.
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
      auto hop = text::trim(*it);
      if (hop.empty()) continue;
      request.ip = hop;
      if (!is_trusted(hop, trusted_proxies)) break;
    }
  }
  if (auto proto = request.header("x-forwarded-proto")) request.secure = (*proto == "https");
}

BeastResponse to_beast_response(api::Response&& in, unsigned version, bool keep_alive) {
  BeastResponse out{static_cast<beast_http::status>(in.status), version};
  out.set(beast_http::field::server, "gongdan");
  if (!in.content_type.empty()) out.set(beast_http::field::content_type, in.content_type);
  out.set("X-Content-Type-Options", "nosniff");
  out.set("X-Frame-Options", "DENY");
  out.set("Referrer-Policy", "same-origin");
  for (auto& [name, value] : in.headers) {
    if (beast_http::string_to_field(name) == beast_http::field::set_cookie)
      out.insert(name, value);  // several cookies are several headers
    else if (value.empty())
      out.erase(name);  // an empty value drops a default (the embeddable page drops framing rules)
    else
      out.set(name, value);  // a handler's header replaces the default
  }
  out.body() = std::move(in.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

}  // namespace gongdan::http
