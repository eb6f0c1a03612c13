// The HTTP requests gongdan makes of the IM providers' APIs for an inbound source: the access
// token's request (WeCom gettoken, Feishu tenant_access_token/internal, DingTalk
// v1.0/oauth2/accessToken), a reply (WeCom kf/send_msg, Feishu im/v1/messages, DingTalk
// v1.0/robot/oToMessages/batchSend) and WeCom's message pull (kf/sync_msg). Pure: the source
// comes with its secrets opened; the caller (jobs/) sends them with channels/webhooks.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/inbound_source.hpp"

namespace gongdan::services {

// How a provider's API call gets its access token: the request that fetches one and the key it
// is cached under (the source, its app id and a digest of its secret, so a changed secret is a
// new key). The call's URL and header values hold "{access_token}" where the token goes.
struct TokenRequest {
  std::string cache_key;
  std::string url;
  std::string body;  // empty: a GET
};

// One HTTP call: a reply to post, WeCom's pull, or a file to fetch. `kind` says how to read
// the answer.
struct ImDelivery {
  InboundKind kind = InboundKind::kGeneric;
  std::string url;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<TokenRequest> token;
  bool get = false;  // a GET (a file), else a POST of `body`
};

// The provider's API address: the source's api_base, else the provider's own.
std::string provider_api(const InboundSource& source);
// `app_secret`: WeCom's and Feishu's api_token, DingTalk's signing secret. nullopt when the
// source lacks what the provider needs (an app id or a secret).
std::optional<TokenRequest> token_request(const InboundSource& source, std::string_view app_secret);
// A provider kind's reply of `text` to `external_id` (as the provider's parser made it); `id`
// is the outbound row, sent as the provider's dedupe key where it has one.
std::optional<ImDelivery> provider_reply(const InboundSource& source, std::string_view app_secret,
                                         std::string_view external_id, std::string_view text,
                                         std::int64_t id);
// The request for a file a customer sent (an InboundFile's reference, as the provider's parser
// made it): WeCom media/get with its media_id; Feishu im/v1/messages/{message_id}/resources/
// {key}?type=image|file; DingTalk v1.0/robot/messageFiles/download with its downloadCode, whose
// answer names the URL of the bytes. nullopt when the source lacks its app id or secret, or the
// reference is not one its parser makes.
std::optional<ImDelivery> provider_media(const InboundSource& source, std::string_view app_secret,
                                         std::string_view reference);
// WeCom: one page of kf/sync_msg after `cursor`, with the callback's token.
std::optional<ImDelivery> wecom_sync(const InboundSource& source, std::string_view app_secret,
                                     std::string_view cursor, std::string_view sync_token,
                                     std::string_view open_kfid);

}  // namespace gongdan::services
