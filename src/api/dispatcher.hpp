// Runs one request through the API: route lookup (404/405), authentication (session cookie or
// Bearer token), CSRF for cookie-authenticated writes, token scopes, then the handler. A handler
// that throws is a bug: it is logged and answered with a 500 without details.
#pragma once

#include <memory>
#include <optional>

#include "api/context.hpp"
#include "api/router.hpp"

namespace gongdan::api {

inline constexpr std::string_view kSessionCookie = "gongdan_session";
// A browser that skips the second step of sign-in for a while (api/second_factor_handlers.cpp).
inline constexpr std::string_view kDeviceCookie = "gongdan_device";

bool is_safe_method(std::string_view method);

class Dispatcher {
 public:
  Dispatcher(Router& router, ApiContext& context) : router_(router), context_(context) {}
  // `route_name` receives the matched pattern (or a fixed label) for metrics.
  Response handle(Request& request, std::string& route_name) const;
  // Runs the request without holding this thread while it waits, when its route has a deferred
  // handler and the request carries no files (those are written to disk first). Returns false,
  // having done nothing, otherwise; then use handle() on a thread that may block.
  bool handle_deferred(const std::shared_ptr<Request>& request, std::string& route_name,
                       Reply reply) const;
  // For the live stream, which only reads: sets request.principal from the session cookie or
  // Bearer token and requires one, with the read scope when it is a token (as GET routes do).
  Result<void> identify_reader(Request& request) const;
  // For a request whose body is large (mail, uploads), before the body is read: the answer
  // that refuses it (no such route, not signed in, not allowed, no CSRF token), from its
  // headers alone; nullopt when it may go on.
  std::optional<Response> admit_head(Request& request) const;
  ApiContext& context() const { return context_; }

 private:
  Result<void> authenticate(Request& request) const;
  // Authentication, CSRF and token scope for a matched route: an error answer, or nothing.
  std::optional<Response> admit(Request& request, const Route& route) const;
  Router& router_;
  ApiContext& context_;
};

}  // namespace gongdan::api
