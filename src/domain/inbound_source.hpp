// An inbound source: one provider account whose webhook brings customers' messages (an IM bot,
// a customer-service app, a PBX's CTI bridge) into the desk. Its kind says which protocol its
// endpoint speaks (channels/im); its secrets are held sealed (services/secret_box.hpp).
//
// What each kind uses:
//   generic:  signing_secret (HMAC-SHA256 of the body); api_base: where replies are posted.
//   telegram: signing_secret (the webhook's secret_token); api_token (the bot token);
//             api_base (https://api.telegram.org unless set).
//   cti:      signing_secret (HMAC-SHA256 of the body), like generic; no replies.
//   wecom:    signing_secret (the callback's Token); aes_key (EncodingAESKey); app_id (CorpID);
//             api_token (the customer-service Secret, for gettoken); api_base (qyapi.weixin.qq.com
//             unless set). Messages are pulled with kf/sync_msg from sync_cursor.
//   dingtalk: signing_secret (the app's AppSecret: the robot's sign, and the access token);
//             app_id (AppKey, also the robotCode); api_base (api.dingtalk.com unless set).
//   feishu:   signing_secret (the Verification Token); aes_key (the Encrypt Key, optional);
//             app_id, api_token (App ID and App Secret, for the tenant_access_token);
//             api_base (open.feishu.cn unless set).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/clock.hpp"

namespace gongdan {

enum class InboundKind { kGeneric, kTelegram, kCti, kWecom, kDingtalk, kFeishu };

std::string_view inbound_kind_name(InboundKind kind);
std::optional<InboundKind> parse_inbound_kind(std::string_view name);

struct InboundSource {
  std::int64_t id = 0;
  InboundKind kind = InboundKind::kGeneric;
  std::string name;
  std::optional<std::int64_t> department_id;
  std::string signing_secret;  // sealed
  std::string api_token;       // sealed
  std::string aes_key;         // sealed: the key of kinds that encrypt their payloads
  std::string app_id;
  std::string api_base;  // where replies go; empty: the provider's own, or none
  bool active = true;
  std::int64_t received = 0;  // messages taken in
  std::string last_error;     // of the last refused request
  Millis created_at = 0;
  Millis updated_at = 0;
};

// A file a provider says a message carries (a photo, a document, a voice note): fetched from the
// provider after the message is stored (jobs/im_file_job) and attached to it.
struct InboundFile {
  std::string reference;     // telegram: the file_id; generic: the http(s) URL to fetch
  std::string name;          // as the provider names it, else one made from its kind
  std::string content_type;  // as the provider says it; the stored type comes from the bytes
};

// One customer message as a provider delivered it, after its signature was checked.
struct InboundMessage {
  std::string event_id;     // the provider's id of this delivery: its retries carry the same
  std::string external_id;  // who wrote (and where a reply goes): a chat or user id
  std::string display_name;
  std::string text;
  std::string subject;             // optional; the first line of the text otherwise
  std::vector<InboundFile> files;  // at most kMaxInboundFiles
};

// An agent's reply on its way back through the source it answers (the IM outbox): one row each,
// sent by its job (jobs/im_reply_job), "queued", "sent" or, after the last try, "failed".
struct OutboundIm {
  std::int64_t id = 0;
  std::int64_t source_id = 0;
  std::int64_t ticket_id = 0;
  std::optional<std::int64_t> ticket_message_id;
  std::string external_id;  // the chat or user the reply goes to
  std::string body;
  std::string status = "queued";
  std::int64_t attempts = 0;
  std::string last_error;
  Millis created_at = 0;
  std::optional<Millis> sent_at;
};

// Limits of what a provider may send in one message.
inline constexpr std::size_t kMaxInboundIdLength = 200;
inline constexpr std::size_t kMaxInboundNameLength = 200;
inline constexpr std::size_t kMaxInboundTextLength = 64 * 1024;
inline constexpr std::size_t kMaxInboundFiles = 10;

}  // namespace gongdan
