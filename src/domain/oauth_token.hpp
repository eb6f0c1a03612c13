// OAuth 2.0 for mail servers that take no password (Microsoft 365, Gmail): the client a mailbox
// signs in with, and the token endpoint's answer to a refresh (RFC 6749 §5.1, §5.2) read without
// trusting it. The access token it gives is sent by SASL XOAUTH2 (channels/email/driver).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace gongdan {

struct OAuthClient {
  std::string token_url;  // https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token
  std::string client_id;
  std::string client_secret;  // in clear here; sealed where stored
  std::string refresh_token;  // in clear here; sealed where stored
  std::string scope;          // empty: the scopes the refresh token was granted

  bool empty() const { return token_url.empty(); }
};

struct OAuthTokens {
  std::string access_token;
  std::int64_t expires_in_seconds = 3600;  // the answer's, or an hour when it says none
  std::string refresh_token;               // a new one when the endpoint rotates them; else empty
};

// The answer to a refresh_token grant, with its HTTP status. A 2xx with an access token is the
// tokens; an error answer is kUnauthenticated naming the endpoint's error and description
// ("invalid_grant: AADSTS70000 …"); anything else (not JSON, no token, a token with control
// characters, over 16 KiB) is kUnavailable. Never throws.
Result<OAuthTokens> read_oauth_token_answer(long http_status, std::string_view body);

}  // namespace gongdan
