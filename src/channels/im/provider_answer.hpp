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
#include <optional>
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

// The answer to a request for a file a customer sent (services/provider_media). nullopt: the
// body is the file. A URL: where the file is (DingTalk's messageFiles/download answers
// {"downloadUrl"}). Errors: kUnauthenticated as above; kUnavailable when the provider is busy or
// failing (HTTP 429 or 5xx, WeCom's -1: retry later); kNotFound when it reported any other error
// (no such media, expired, no permission: no retry helps), with its code and message;
// kInvalidArgument for content that is not a file (an empty body, a JSON answer that is neither
// an error nor, for DingTalk, a download URL).
Result<std::optional<std::string>> media_answer(InboundKind kind, int http_status,
                                                std::string_view content_type,
                                                std::string_view body);

// What an upload of a reply's file answered (an answer call_provider took): WeCom's and
// DingTalk's media_id, Feishu's data.image_key or data.file_key. kInvalidArgument when it has
// none.
Result<std::string> uploaded_key(InboundKind kind, std::string_view body);

// The file name a Content-Disposition header gives (RFC 6266: filename*=UTF-8''percent-encoded
// preferred over filename="quoted"), the last path component only; nullopt when it names none
// or the name is not UTF-8.
std::optional<std::string> disposition_filename(std::string_view header);

}  // namespace gongdan::channels::im
