// WeCom customer service (微信客服) callbacks, from WeCom's public specification (the callback
// "加解密方案" and kf "接收消息和事件"): pure functions from the request's bytes to what it says.
//
// WeCom signs each callback with msg_signature = hex SHA-1 of the sorted concatenation of the
// source's Token, the query's timestamp and nonce, and the encrypted text; the text is base64 of
// AES-256-CBC (key: base64 of the 43-character EncodingAESKey plus "=", IV: the key's first 16
// bytes; PKCS#7 padding to 32 bytes) over random(16) + length (4 bytes, big-endian) + message +
// the CorpID it was meant for. URL verification (GET) sends the encrypted text as echostr and
// wants the message back; a POST carries it in the XML's Encrypt. The kf event says only that
// messages wait: they are pulled with kf/sync_msg (the callback's Token and a cursor).
//
// Errors: kUnauthenticated (401) for a missing or wrong signature, a stale timestamp (more than
// kMaxClockSkew from `now`) or a message meant for another CorpID; kInvalidArgument (400) for
// XML, base64, AES or JSON that is not what the protocol describes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/inbound_source.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan::channels::im {

struct WecomKeys {
  std::string_view token;    // the callback's Token (the source's signing secret)
  std::string_view aes_key;  // EncodingAESKey, 43 characters
  std::string_view corp_id;  // the CorpID the messages are for (the source's app id)
};

struct WecomQuery {
  std::optional<std::string_view> signature;  // msg_signature
  std::optional<std::string_view> timestamp;
  std::optional<std::string_view> nonce;
};

// An EncodingAESKey's 32 key bytes; nullopt when it is not 43 characters of base64.
std::optional<std::string> wecom_aes_key(std::string_view encoding_aes_key);

// The signature check, then the decryption: the message inside `encrypted`.
Result<std::string> wecom_open(const WecomKeys& keys, const WecomQuery& query,
                               std::string_view encrypted, Millis now);
// What WeCom would send: base64 of the AES payload around `message` (`random16`: 16 bytes).
std::string wecom_seal(const WecomKeys& keys, std::string_view message, std::string_view random16);
std::string wecom_signature(std::string_view token, std::string_view timestamp,
                            std::string_view nonce, std::string_view encrypted);

// The first <tag> of a WeCom XML document, CDATA or text (with the five XML entities).
std::optional<std::string> xml_member(std::string_view xml, std::string_view tag);
// A callback POST's <Encrypt>.
Result<std::string> wecom_encrypted_member(std::string_view body);

// The decrypted callback: Event kf_msg_or_event with its Token and OpenKfId; other events have
// an empty sync_token (acknowledged, nothing pulled).
struct WecomEvent {
  std::string event;
  std::string sync_token;
  std::string open_kfid;
};
Result<WecomEvent> parse_wecom_event(std::string_view xml);

// One page of kf/sync_msg: the customers' messages (origin 3) as inbound messages (event id:
// msgid; sender: open_kfid + "/" + external_userid, which is where a reply goes), the cursor of
// the next page, and whether there is one. An image, voice, video or file message is a file
// whose reference is its media_id (fetched with media/get), named by its kind.
struct WecomBatch {
  std::vector<InboundMessage> messages;
  std::string next_cursor;
  bool has_more = false;
};
Result<WecomBatch> parse_wecom_sync(std::string_view body);

// A WeCom sender's two halves, for kf/send_msg.
struct WecomPeer {
  std::string open_kfid;
  std::string external_userid;
};
std::optional<WecomPeer> wecom_peer(std::string_view external_id);

}  // namespace gongdan::channels::im
