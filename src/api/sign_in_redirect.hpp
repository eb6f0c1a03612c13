// What the browser sides of OpenID Connect and SAML sign-in share. Starting and finishing a
// sign-in are top-level navigations, so their answers are redirects, errors included: to the
// sign-in page the person came from, with the reason in `sso_error` for the page to show.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "api/context.hpp"
#include "api/request.hpp"
#include "api/router.hpp"
#include "services/auth_service.hpp"
#include "services/sign_in_provider.hpp"

namespace gongdan::api {

// 302 to the sign-in page of the part of the site `return_to` is in (the portal's or the
// desk's), with the error's message in `sso_error`, `reason` in `sso_reason` (when not empty)
// and `return_to` in `next`.
Response sign_in_failed(std::string_view return_to, const Error& error, std::string_view reason);
// 302 to `return_to` with the session cookie of a finished sign-in.
Response signed_in_redirect(const Request& request, const services::SignedIn& signed_in,
                            std::string return_to);
// This server's address as the browser used it (its Host; public_url without one), with no
// trailing slash: the cookies a sign-in sets are that host's, so its return address must be too.
std::string browser_base_url(const ApiContext& ctx, const Request& request);

// GET `path`: the sign-in pages' buttons of one kind of provider (`providers`: "SAML identity
// providers"), those of the resource `resource` that are active, from `buttons`.
void add_buttons_route(Router& router, std::string path, std::string operation_id,
                       std::string_view providers, std::string_view resource,
                       std::function<Result<std::vector<services::SignInButton>>()> buttons);

}  // namespace gongdan::api
