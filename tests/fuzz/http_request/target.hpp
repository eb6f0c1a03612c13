// The HTTP request path as the fuzzer drives it: Beast's parser with the server's limits, then
// the conversion to an API request, the router, and the strict JSON body reader. Shared by the
// libFuzzer entry point and the unit test that replays the seed corpus.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/json.hpp"
#include "api/router.hpp"
#include "http/wire.hpp"

namespace gongdan::fuzz {

inline const api::Router& fuzz_router() {
  static const api::Router router = [] {
    api::Router r;
    auto ok = [](api::Request&) { return api::Response{}; };
    r.add("GET", "/healthz", api::Access::kPublic, "t", "s", ok);
    r.add("POST", "/api/v1/auth/login", api::Access::kPublic, "t", "s", ok);
    r.add("GET", "/api/v1/agents/{id}", api::Access::kSignedIn, "t", "s", ok);
    r.add("PATCH", "/api/v1/agents/{id}", api::Access::kSignedIn, "t", "s", ok);
    r.add("DELETE", "/api/v1/tokens/{id}", api::Access::kSignedIn, "t", "s", ok);
    return r;
  }();
  return router;
}

inline void run_http_request(const std::uint8_t* data, std::size_t size) {
  namespace bhttp = boost::beast::http;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.eager(true);
  parser.header_limit(16 * 1024);
  parser.body_limit(1 << 20);
  boost::beast::error_code ec;
  std::size_t offset = 0;
  while (offset < size && !parser.is_done()) {
    auto used = parser.put(boost::asio::buffer(data + offset, size - offset), ec);
    if (ec == bhttp::error::need_more) break;
    if (ec) return;
    if (used == 0) break;
    offset += used;
  }
  if (!parser.is_done()) {
    parser.put_eof(ec);
    if (ec || !parser.is_done()) return;
  }
  auto message = parser.release();
  api::Request request;
  if (!http::to_api_request(message, request)) return;
  http::apply_client_address(request, "127.0.0.1", {*ip::parse_range("127.0.0.1")});
  (void)request.cookie("gongdan_session");
  auto match = fuzz_router().match(request.method, request.path);
  (void)match;
  auto body = api::parse_object(request.body, {"email", "password", "name", "active", "scopes"});
  if (!body) return;
  (void)api::optional_string(*body, "email");
  (void)api::optional_bool(*body, "active");
  (void)api::optional_string_list(*body, "scopes");
  (void)api::page_request(request);
}

}  // namespace gongdan::fuzz
