// The route table: method + path pattern ("/api/v1/agents/{id}") → handler. The table is also
// the source of the OpenAPI document, so a route cannot exist without being documented.
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/request.hpp"

namespace gongdan::api {

enum class Access {
  kPublic,    // anyone
  kSignedIn,  // a session or an API token
  kMailGate,  // a token with the "mail" scope, or an admin
};

using Handler = std::function<Response(Request&)>;

struct Route {
  std::string method;
  std::string pattern;
  Access access = Access::kSignedIn;
  std::string summary;
  std::string tag;
  Handler handler;
  std::vector<std::string> segments;  // pattern split on '/'
};

struct RouteMatch {
  const Route* route = nullptr;
  Pairs params;
  std::string allowed_methods;  // set when the path exists under other methods only
};

class Router {
 public:
  void add(std::string method, std::string pattern, Access access, std::string tag,
           std::string summary, Handler handler);
  RouteMatch match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  // Paths without parameters, for a lookup without splitting (most hot routes are such).
  std::unordered_map<std::string, std::vector<std::size_t>> exact_;
};

}  // namespace gongdan::api
