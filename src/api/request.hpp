// A parsed HTTP request and the response to it, independent of the wire library, so handlers
// can be tested without sockets. Header names are lower-case.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/principal.hpp"

namespace gongdan::api {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // upper-case verb
  std::string path;    // percent-decoded, without the query
  Pairs query;
  Pairs headers;
  std::string body;
  std::string ip;          // the client's address, after trusted-proxy rules
  bool secure = false;     // reached us over TLS, directly or through a trusted proxy
  std::string request_id;  // a trusted proxy's X-Request-Id, else one of ours
  Pairs params;            // filled by the router from {name} segments
  std::optional<services::Principal> principal;

  std::optional<std::string_view> header(std::string_view lower_name) const;
  std::optional<std::string_view> query_value(std::string_view name) const;
  std::string_view param(std::string_view name) const;
  std::optional<std::string> cookie(std::string_view name) const;
  const services::Principal& who() const { return *principal; }
};

struct Response {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json";
  Pairs headers;

  void set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

}  // namespace gongdan::api
