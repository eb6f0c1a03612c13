// The JSON answers of the IM providers' APIs (access tokens, sending, WeCom's message pull),
// read the same way for every call: WeCom and DingTalk's robot webhooks answer errcode/errmsg,
// Feishu code/msg, DingTalk's v1.0 API camelCase members with an HTTP error and code/message.
//
// Errors: kUnauthenticated when the provider refused the access token (expired or revoked: the
// caller drops its cached one and tries again with a new one); kUnavailable for any other error
// the provider reported, with its code and message; kInvalidArgument for an answer that is not
// a JSON object.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/inbound_source.hpp"
#include "util/result.hpp"

namespace gongdan::channels::im {

Result<boost::json::object> provider_answer(InboundKind kind, int http_status,
                                            std::string_view body);

struct AccessToken {
  std::string token;
  std::int64_t expires_in_seconds = 7200;
};
// gettoken (WeCom), tenant_access_token/internal (Feishu), v1.0/oauth2/accessToken (DingTalk).
Result<AccessToken> parse_access_token(InboundKind kind, int http_status, std::string_view body);

}  // namespace gongdan::channels::im
