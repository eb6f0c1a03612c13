// The access token a mailbox's OAuth2 client gives (domain/oauth_token.hpp), for SASL XOAUTH2 on
// IMAP and SMTP: asked of the token endpoint with the refresh token (grant_type=refresh_token,
// the client id and secret in the form, as Microsoft's and Google's endpoints take them), kept
// until a minute before it expires, and asked anew when a server refused it. An endpoint that
// rotates refresh tokens (Microsoft's does) hands a new one with each answer: it is used from
// then on, and the poller saves it sealed with the mailbox (rotated_refresh_token).
//
// Threads: any; the cache is the process's, behind its own mutex. The endpoint is asked without
// the lock held, with a 10 s limit.
#pragma once

#include <optional>
#include <string>

#include "domain/oauth_token.hpp"
#include "util/result.hpp"

namespace gongdan::email {

// A valid access token; errors name the endpoint's refusal ("invalid_grant: …") or why it was
// not reached, as kUnavailable.
Result<std::string> oauth_access_token(const OAuthClient& client);

// After a server refused the token: the next call asks the endpoint again.
void forget_oauth_access_token(const OAuthClient& client);

// The login on a CURL* handle (IMAP's or SMTP's): `user` with `password`, or with `bearer`, an
// access token, by SASL XOAUTH2 (Google's and Microsoft's), not OAUTHBEARER, which libcurl
// prefers when offered.
void set_mail_login(void* curl, const std::string& user, const std::string& password,
                    const std::string& bearer);

// The refresh token the endpoint last handed for `client`, when it differs from client's own.
std::optional<std::string> rotated_refresh_token(const OAuthClient& client);

}  // namespace gongdan::email
