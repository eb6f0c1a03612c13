// Who is reading on this thread, for drivers with read replicas (PostgreSQL streaming
// replicas). The API sets a scope around each request once it knows the principal: safe requests
// (GET) may read from a replica; writes made under the scope are remembered per principal, so
// that principal's next reads stay on the primary until a replica has replayed past them
// (read-your-writes). Without a scope (credential checks, background work, cluster relays)
// every read goes to the primary.
#pragma once

#include <string>

namespace gongdan {

struct ReadRoute {
  std::string principal;    // e.g. "u42"; empty: nobody in particular
  bool replica_ok = false;  // this request only reads: a replica may serve it
};

// The route of the innermost scope on this thread, or nullptr.
const ReadRoute* current_read_route();

class ReadRouteScope {
 public:
  explicit ReadRouteScope(ReadRoute route);
  ~ReadRouteScope();
  ReadRouteScope(const ReadRouteScope&) = delete;
  ReadRouteScope& operator=(const ReadRouteScope&) = delete;

 private:
  ReadRoute route_;
  const ReadRoute* previous_;
};

}  // namespace gongdan
