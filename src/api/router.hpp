// The route table: method + path pattern ("/api/v1/agents/{id}") → handler. The table is also
// the source of the OpenAPI document, so a route cannot exist without being documented.
#pragma once

#include <functional>
#include <memory>
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

// How a deferred handler answers: `post` runs work on the request's own I/O thread (where
// building the answer belongs), `respond` sends the answer (exactly once, from any thread).
struct Reply {
  std::function<void(std::function<void()>)> post;
  std::function<void(Response)> respond;
};
// A handler that answers later instead of holding a thread while it waits (for a commit). The
// dispatcher uses it only when the route has one and the request suits it (see Dispatcher).
using DeferredHandler = std::function<void(std::shared_ptr<Request>, Reply)>;

struct Route {
  std::string method;
  std::string pattern;
  Access access = Access::kSignedIn;
  std::string summary;
  std::string tag;
  Handler handler;
  std::vector<std::string> segments;  // pattern split on '/'
  DeferredHandler deferred;           // optional; `handler` still serves every other case
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
  // Gives an added route a deferred form as well.
  void defer(std::string_view method, std::string_view pattern, DeferredHandler deferred);
  RouteMatch match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  // Paths without parameters, for a lookup without splitting (most hot routes are such).
  std::unordered_map<std::string, std::vector<std::size_t>> exact_;
};

}  // namespace gongdan::api
