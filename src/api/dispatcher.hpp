// Runs one request through the API: route lookup (404/405), authentication (session cookie or
// Bearer token), CSRF for cookie-authenticated writes, token scopes, then the handler. A handler
// that throws is a bug: it is logged and answered with a 500 without details.
#pragma once

#include "api/context.hpp"
#include "api/router.hpp"

namespace gongdan::api {

inline constexpr std::string_view kSessionCookie = "gongdan_session";

bool is_safe_method(std::string_view method);

class Dispatcher {
 public:
  Dispatcher(Router& router, ApiContext& context) : router_(router), context_(context) {}
  // `route_name` receives the matched pattern (or a fixed label) for metrics.
  Response handle(Request& request, std::string& route_name) const;
  // Sets request.principal from the session cookie or Bearer token, if any (for WebSocket).
  Result<void> identify(Request& request) const { return authenticate(request); }
  ApiContext& context() const { return context_; }

 private:
  Result<void> authenticate(Request& request) const;
  Router& router_;
  ApiContext& context_;
};

}  // namespace gongdan::api
