// Conversion between Beast messages and the API's Request/Response, and the client-address
// rules for trusted proxies.
#pragma once

#include <boost/beast/http.hpp>
#include <string>
#include <vector>

#include "api/request.hpp"
#include "util/ip_range.hpp"
#include "util/result.hpp"

namespace gongdan::http {

namespace beast_http = boost::beast::http;
using BeastRequest = beast_http::request<beast_http::string_body>;
using BeastResponse = beast_http::response<beast_http::string_body>;

// Fills method, path, query and headers; an unparseable target is an error.
Result<void> to_api_head(const BeastRequest& in, api::Request& out);
// The same, and moves the body over.
Result<void> to_api_request(BeastRequest& in, api::Request& out);
// Resolves the client's address and scheme: X-Forwarded-For/-Proto count only when the direct
// peer is in one of the trusted proxies' ranges.
void apply_client_address(api::Request& request, const std::string& peer_ip,
                          const std::vector<ip::Range>& trusted_proxies);
BeastResponse to_beast_response(api::Response&& in, unsigned version, bool keep_alive);

}  // namespace gongdan::http
