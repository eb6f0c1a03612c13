// What the public POSTs that sign people in share (sign-in, sign-up, mailed links): the session
// cookie and the answer that sets it, and the guard against login CSRF.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/context.hpp"
#include "api/request.hpp"
#include "api/route_doc.hpp"
#include "api/schema.hpp"
#include "services/auth_service.hpp"

namespace gongdan::api {

// Set-Cookie value of the session cookie; `clear` makes it expire at once (sign-out).
std::string session_cookie(const Request& request, std::string_view token, bool clear);
// 200 with the CSRF token (and the user), setting the session cookie.
Response signed_in_response(const Request& request, const services::SignedIn& s, bool with_user);
// A page on another site could sign a victim into the attacker's account (login CSRF) through
// these routes. They take JSON only (415 otherwise), which a cross-site form cannot send
// without a preflight we never grant, and a browser's Origin must be this server's own (its
// Host, or public_url's; 403 otherwise). Programs send no Origin. nullopt: go ahead.
std::optional<Response> refuse_cross_site(const ApiContext& ctx, const Request& request);

// Their OpenAPI pieces: an email and a password field, and an answer that signs someone in.
schema::Schema email_schema();
schema::Schema password_schema();
RouteDoc signed_in_doc(std::string id, unsigned status = 200);

}  // namespace gongdan::api
