// The route table: method + path pattern ("/api/v1/agents/{id}") → handler. The table is also
// the source of the OpenAPI document (openapi.cpp): each route carries its RouteDoc, and the
// named schemas its docs refer to are defined here too, so a route cannot exist undocumented.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/request.hpp"
#include "api/route_doc.hpp"

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
  RouteDoc doc;                       // what the OpenAPI document says about it
};

struct RouteMatch {
  const Route* route = nullptr;
  Pairs params;
  std::string allowed_methods;  // set when the path exists under other methods only
};

class Router {
 public:
  void add(std::string method, std::string pattern, Access access, std::string tag,
           std::string summary, RouteDoc doc, Handler handler);
  // A route with a minimal doc (see route_doc.hpp); document() may give it its own later.
  void add(std::string method, std::string pattern, Access access, std::string tag,
           std::string summary, Handler handler);
  // Gives an added route a deferred form as well.
  void defer(std::string_view method, std::string_view pattern, DeferredHandler deferred);
  // Replaces an added route's doc (for code that registers routes it does not describe);
  // false when there is no such route.
  [[nodiscard]] bool document(std::string_view method, std::string_view pattern, RouteDoc doc);
  RouteMatch match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

  // A named schema of the document (components.schemas), used in docs through ref(name).
  // Defining a name again replaces it.
  void define_schema(std::string name, schema::Schema schema);
  const std::map<std::string, schema::Schema>& schemas() const { return schemas_; }

 private:
  std::vector<Route> routes_;
  std::map<std::string, schema::Schema> schemas_;
  // Paths without parameters, for a lookup without splitting (most hot routes are such).
  std::unordered_map<std::string, std::vector<std::size_t>> exact_;
};

}  // namespace gongdan::api
