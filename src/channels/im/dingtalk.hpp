// DingTalk (钉钉) robots that receive messages (企业内部应用机器人, "outgoing"), from DingTalk's
// public specification: a pure check of each callback's signature and a parse of its body.
//
// DingTalk sends the headers `timestamp` (Unix milliseconds) and `sign` = base64
// HMAC-SHA256(key: the app's AppSecret, data: timestamp + "\n" + AppSecret); a timestamp more
// than an hour from ours is refused, as DingTalk's own rule says. The body: msgId (the event id:
// retries carry it), msgtype, text.content, senderStaffId (an employee: where replies go through
// the robot API), senderId, senderNick, conversationType … A picture, file, audio or video
// message's `content` holds a downloadCode (and a file's fileName); a richText's `content.richText`
// is a list of {"text"} and pictures with their downloadCode. Each is a file whose reference is
// its downloadCode, fetched with v1.0/robot/messageFiles/download (jobs/im_file_job).
//
// Errors: kUnauthenticated (401) for a missing, wrong or stale signature; kInvalidArgument
// (400) for a body that is not the protocol's JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/inbound_source.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan::channels::im {

inline constexpr Millis kDingtalkMaxSkew = 60 * 60 * 1000;

std::string dingtalk_sign(std::string_view app_secret, std::string_view timestamp);
Result<void> check_dingtalk_sign(std::string_view app_secret,
                                 std::optional<std::string_view> timestamp,
                                 std::optional<std::string_view> sign, Millis now);
// nullopt: a well-formed delivery with nothing for the desk (an empty text).
Result<std::optional<InboundMessage>> parse_dingtalk_message(std::string_view body);

}  // namespace gongdan::channels::im
