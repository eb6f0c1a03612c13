#include "api/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include "api/json.hpp"
#include "util/crypto.hpp"
#include "util/read_route.hpp"
#include "util/request_id.hpp"
#include "util/text.hpp"

namespace gongdan::api {

bool is_safe_method(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

namespace {

// Once the principal is known: their writes are remembered for read-your-writes, and a request
// that only reads may be served by a read replica (PostgreSQL; see util/read_route.hpp).
ReadRoute read_route_of(const Request& request) {
  ReadRoute route;
  if (request.principal && request.principal->user.id > 0) {
    route.principal = "u" + std::to_string(request.principal->user.id);
    route.replica_ok = is_safe_method(request.method);
  }
  return route;
}

// A session that may only enrol a second factor reaches these routes and no others.
bool open_to_enrolment_only(const Route& route) {
  return route.pattern == "/api/v1/me" || route.pattern == "/api/v1/me/second-factor" ||
         route.pattern == "/api/v1/me/second-factor/confirm" ||
         route.pattern == "/api/v1/auth/logout";
}

std::optional<Response> refuse_enrolment_only(const services::Principal& who, const Route& route) {
  if (!who.enrolment_only || open_to_enrolment_only(route)) return std::nullopt;
  return error_response({ErrorCode::kPermissionDenied,
                         "your role must use two-factor sign-in: enrol a second factor first "
                         "(POST /api/v1/me/second-factor)",
                         {}});
}

}  // namespace

Result<void> Dispatcher::authenticate(Request& request) const {
  if (auto authorization = request.header("authorization")) {
    // The scheme name is case-insensitive (RFC 7235).
    constexpr std::string_view kBearer = "bearer ";
    if (authorization->size() <= kBearer.size() ||
        text::to_lower_ascii(authorization->substr(0, kBearer.size())) != kBearer)
      return fail(ErrorCode::kUnauthenticated, "use 'Authorization: Bearer <token>'");
    auto token = text::trim(authorization->substr(kBearer.size()));
    GONGDAN_ASSIGN(request.principal, context_.auth.authenticate_bearer(token, request.ip));
    return {};
  }
  if (auto session = request.cookie(kSessionCookie)) {
    GONGDAN_ASSIGN(request.principal, context_.auth.authenticate_session(*session, request.ip));
  }
  return {};
}

Result<void> Dispatcher::identify_reader(Request& request) const {
  GONGDAN_TRY(authenticate(request));
  if (!request.principal) return fail(ErrorCode::kUnauthenticated, "sign in or send an API token");
  if (request.principal->via == services::CredentialKind::kToken && !request.principal->can_read)
    return fail(ErrorCode::kPermissionDenied, "this token lacks the read scope");
  return {};
}

Response Dispatcher::handle(Request& request, std::string& route_name) const {
  RequestIdScope id(request.request_id);
  auto match = router_.match(request.method, request.path);
  if (!match.route) {
    if (!match.allowed_methods.empty()) {
      route_name = "method_not_allowed";
      json::object inner{{"code", "method_not_allowed"},
                         {"message", "this path accepts " + match.allowed_methods}};
      auto r = json_response(405, json::object{{"error", std::move(inner)}});
      r.set_header("Allow", match.allowed_methods);
      return r;
    }
    route_name = "not_found";
    return error_response({ErrorCode::kNotFound, "no such resource", {}});
  }
  const Route& route = *match.route;
  route_name = route.pattern;
  request.params = std::move(match.params);
  try {
    if (auto refused = admit(request, route)) return std::move(*refused);
    ReadRouteScope reads(read_route_of(request));
    return route.handler(request);
  } catch (const std::exception& e) {
    spdlog::error("handler for {} {} threw: {}", request.method, route.pattern, e.what());
    return error_response({ErrorCode::kInternal, "internal error", {}});
  }
}

std::optional<Response> Dispatcher::admit(Request& request, const Route& route) const {
  if (route.access != Access::kPublic || request.header("authorization") ||
      request.cookie(kSessionCookie)) {
    auto authenticated = authenticate(request);
    if (!authenticated && route.access != Access::kPublic)
      return error_response(authenticated.error());
  }
  if (route.access == Access::kMailGate) {
    if (!request.principal)
      return error_response({ErrorCode::kUnauthenticated, "send an API token", {}});
    const auto& who = *request.principal;
    if (auto refused = refuse_enrolment_only(who, route)) return refused;
    if (who.via == services::CredentialKind::kToken ? !who.can_post_mail
                                                    : !who.can(Permission::kManageSettings))
      return error_response(
          {ErrorCode::kPermissionDenied, "this needs a token with the mail scope", {}});
    if (who.via == services::CredentialKind::kSession) {
      auto sent = request.header("x-csrf-token");
      if (!sent || !crypto::equal_constant_time(*sent, who.csrf_token))
        return error_response(
            {ErrorCode::kPermissionDenied, "missing or wrong X-CSRF-Token header", "X-CSRF-Token"});
    }
    return std::nullopt;
  }
  if (route.access != Access::kSignedIn) return std::nullopt;
  if (!request.principal)
    return error_response({ErrorCode::kUnauthenticated, "sign in or send an API token", {}});
  const auto& who = *request.principal;
  if (auto refused = refuse_enrolment_only(who, route)) return refused;
  const bool safe = is_safe_method(request.method);
  if (who.via == services::CredentialKind::kSession && !safe) {
    auto sent = request.header("x-csrf-token");
    if (!sent || !crypto::equal_constant_time(*sent, who.csrf_token))
      return error_response(
          {ErrorCode::kPermissionDenied, "missing or wrong X-CSRF-Token header", "X-CSRF-Token"});
  }
  if (who.via == services::CredentialKind::kToken && !(safe ? who.can_read : who.can_write))
    return error_response(
        {ErrorCode::kPermissionDenied,
         safe ? "this token lacks the read scope" : "this token lacks the write scope",
         {}});
  return std::nullopt;
}

std::optional<Response> Dispatcher::admit_head(Request& request) const {
  auto match = router_.match(request.method, request.path);
  if (!match.route) {
    std::string unused;
    return handle(request, unused);  // the 404 or 405 answer
  }
  try {
    return admit(request, *match.route);
  } catch (const std::exception& e) {
    spdlog::error("admitting {} {} threw: {}", request.method, match.route->pattern, e.what());
    return error_response({ErrorCode::kInternal, "internal error", {}});
  }
}

bool Dispatcher::handle_deferred(const std::shared_ptr<Request>& request, std::string& route_name,
                                 Reply reply) const {
  RequestIdScope id(request->request_id);
  auto content_type = request->header("content-type");
  if (content_type && text::to_lower_ascii(*content_type).starts_with("multipart/")) return false;
  auto match = router_.match(request->method, request->path);
  if (!match.route || !match.route->deferred) return false;
  const Route& route = *match.route;
  route_name = route.pattern;
  request->params = std::move(match.params);
  try {
    if (auto refused = admit(*request, route)) {
      reply.respond(std::move(*refused));
      return true;
    }
    ReadRouteScope reads(read_route_of(*request));
    route.deferred(request, reply);
  } catch (const std::exception& e) {
    // Only the synchronous part can throw here; it has not answered yet.
    spdlog::error("handler for {} {} threw: {}", request->method, route.pattern, e.what());
    reply.respond(error_response({ErrorCode::kInternal, "internal error", {}}));
  }
  return true;
}

}  // namespace gongdan::api
