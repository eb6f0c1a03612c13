#include "services/inbound_service.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "services/delivery_attempts.hpp"
#include "services/job_kinds.hpp"
#include "services/provider_requests.hpp"
#include "services/resource_load.hpp"
#include "services/webhook_target.hpp"
#include "store/attachments_store.hpp"
#include "store/database.hpp"
#include "store/inbound_store.hpp"
#include "store/tickets_store.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

namespace json = boost::json;

std::vector<Bound<InboundSource>> source_fields() {
  const auto secret = [](std::string_view key, Words label, Words help) {
    return secret_field(key, label, help).range(1, 500).sealed();
  };
  return {
      field_of(&InboundSource::id, id_field()),
      field_of(
          &InboundSource::kind,
          choice_field("kind", {"Kind", "类型"},
                       {"generic", "telegram", "cti", "wecom", "dingtalk", "feishu"},
                       {"generic: signed JSON; telegram: a Telegram bot; cti: a phone "
                        "system's call events; wecom: WeCom customer service; dingtalk: a "
                        "DingTalk robot; feishu: a Feishu app (docs/channels.md).",
                        "generic：签名的 JSON；telegram：Telegram 机器人；cti：电话系统的呼叫事件；"
                        "wecom：微信客服；dingtalk：钉钉机器人；feishu：飞书应用（见 "
                        "docs/channels.md）。"})
              .required()
              .create_only(),
          inbound_kind_name, parse_inbound_kind),
      field_of(&InboundSource::name, unique_name_field()),
      field_of(&InboundSource::department_id,
               department_field({"New tickets go to this department.", "新工单进入此部门。"})),
      field_of(&InboundSource::app_id,
               text_field("app_id", {"App ID", "应用 ID"},
                          {"wecom: the CorpID; dingtalk: the AppKey (also the robot's code); "
                           "feishu: the App ID.",
                           "wecom：企业 ID（CorpID）；dingtalk：AppKey（也是机器人编码）；"
                           "feishu：App ID。"})
                   .max(200)),
      field_of(&InboundSource::signing_secret,
               secret("signing_secret", {"Signing secret", "签名密钥"},
                      {"Checks each request. generic, cti: the HMAC-SHA256 key; telegram: the "
                       "webhook's secret_token; wecom: the callback's Token; dingtalk: the "
                       "AppSecret; feishu: the Verification Token. Made for you when left "
                       "empty; shown once.",
                       "用于校验每个请求。generic、cti：HMAC-SHA256 密钥；telegram：webhook 的 "
                       "secret_token；wecom：回调的 Token；dingtalk：AppSecret；feishu："
                       "Verification Token。留空则自动生成；只显示一次。"})
                   .generated()),
      field_of(&InboundSource::aes_key,
               secret("aes_key", {"Encryption key", "加密密钥"},
                      {"wecom: the EncodingAESKey (43 characters); feishu: the Encrypt Key, "
                       "when the app encrypts its events. Stored encrypted.",
                       "wecom：EncodingAESKey（43 个字符）；feishu：应用加密事件时的 Encrypt "
                       "Key。加密保存。"})),
      field_of(&InboundSource::api_token,
               secret("api_token", {"Bot token or app secret", "机器人令牌或应用密钥"},
                      {"telegram: the bot's token; wecom: the customer-service Secret; feishu: "
                       "the App Secret. For replies (and WeCom's message pull). Stored "
                       "encrypted.",
                       "telegram：机器人令牌；wecom：微信客服的 Secret；feishu：App "
                       "Secret。用于发送回复（以及拉取微信客服消息）。加密保存。"})),
      field_of(&InboundSource::api_base,
               text_field("api_base", {"Reply URL", "回复地址"},
                          {"generic: where agents' replies are posted (signed JSON); the other "
                           "kinds: the provider's API address (empty: its public one).",
                           "generic：客服回复以签名 JSON 发往此地址；其他类型：服务商的 API "
                           "地址（留空：其公开地址）。"})
                   .max(2000),
               [](InboundSource& s) -> Result<void> {
                 if (s.api_base.empty()) return {};
                 auto parsed = parse_webhook_url(s.api_base);
                 if (!parsed)
                   return fail(ErrorCode::kInvalidArgument, "not an http(s) URL", "api_base");
                 while (s.api_base.ends_with('/')) s.api_base.pop_back();
                 return {};
               }),
      field_of(&InboundSource::active, active_field()),
      field_of(&InboundSource::received,
               integer_field("received", {"Messages received", "已接收消息"}).read_only()),
      field_of(&InboundSource::created_at, time_field("created_at")),
      field_of(&InboundSource::updated_at, time_field("updated_at")),
  };
}

// Whether a reply to `source` can be sent (its secrets sealed or opened: only presence counts).
bool takes_replies(const InboundSource& source) {
  switch (source.kind) {
    case InboundKind::kGeneric:
      return !source.api_base.empty();
    case InboundKind::kTelegram:
      return !source.api_token.empty();
    case InboundKind::kFeishu:
    case InboundKind::kWecom:
      return !source.api_token.empty() && !source.app_id.empty();
    case InboundKind::kDingtalk:
      return !source.app_id.empty() && !source.signing_secret.empty();
    case InboundKind::kCti:
      return false;
  }
  return false;
}

// WeCom's EncodingAESKey: 43 characters of base64 (32 key bytes once "=" is added).
bool is_encoding_aes_key(std::string_view key) {
  return key.size() == 43 && std::all_of(key.begin(), key.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
         });
}

std::string telegram_body(std::string_view chat_id, std::string_view text) {
  json::object o;
  // Telegram's chat ids are integers; a username ("@channel") stays a string.
  if (auto id = text::parse_integer<std::int64_t>(chat_id)) {
    o["chat_id"] = *id;
  } else {
    o["chat_id"] = chat_id;
  }
  o["text"] = text::cut_utf8(std::string(text), 4096);
  return json::serialize(o);
}

}  // namespace

const Resource<InboundSource>& inbound_source_resource() {
  static const Resource<InboundSource> r = declare<InboundSource>(
      resource_info("inbound-sources", "inbound_source", {"Inbound sources", "接入渠道"}, "inbound")
          .table("inbound_sources")
          .read_by(Audience::kAdmins)
          .ops({.remove = true}),
      source_fields());
  return r;
}

void InboundService::add_to(Resources& resources) {
  Hooks<InboundSource> hooks;
  hooks.check = [this](store::Connection&, const Principal&, InboundSource& s,
                       const InboundSource*) -> Result<void> { return check(s); };
  resources.add(inbound_source_resource(), std::move(hooks));
}

// What each kind needs, checked when a source is saved (its secrets are sealed by then).
Result<void> InboundService::check(const InboundSource& s) const {
  if (s.kind == InboundKind::kCti && !s.api_base.empty())
    return fail(ErrorCode::kInvalidArgument, "a cti source sends no replies", "api_base");
  if (s.kind != InboundKind::kWecom) return {};
  if (s.app_id.empty())
    return fail(ErrorCode::kInvalidArgument, "wecom needs the CorpID", "app_id");
  std::string key;
  if (!s.aes_key.empty()) {
    GONGDAN_ASSIGN(key, secrets_.open(s.aes_key));
  }
  if (!is_encoding_aes_key(key))
    return fail(ErrorCode::kInvalidArgument,
                "wecom needs the EncodingAESKey: 43 letters, digits, + or /", "aes_key");
  return {};
}

Result<OpenedSource> InboundService::source(std::int64_t id) {
  GONGDAN_ASSIGN(auto found, load_one(db_, inbound_source_resource(), id));
  if (!found || !found->active) return fail(ErrorCode::kNotFound, "no such inbound source");
  return opened(std::move(*found));
}

Result<OpenedSource> InboundService::opened(InboundSource source) const {
  OpenedSource out{std::move(source), {}, {}, {}};
  for (auto [sealed, open] : {std::pair{&out.source.signing_secret, &out.signing_secret},
                              std::pair{&out.source.api_token, &out.api_token},
                              std::pair{&out.source.aes_key, &out.aes_key}})
    if (!sealed->empty()) {
      GONGDAN_ASSIGN(*open, secrets_.open(*sealed));
    }
  return out;
}

Result<void> InboundService::on_public_reply(store::Connection& c, const Ticket& ticket,
                                             const Message& message, const MailCopies&) {
  if (ticket.channel != "im") return {};
  GONGDAN_ASSIGN(auto sender, store::last_sender_of_ticket(c, ticket.id));
  if (!sender) return {};
  GONGDAN_ASSIGN(auto source, load_one(c, inbound_source_resource(), sender->first));
  // A source without what its replies need (a bot token, a reply URL, an app's id and secret)
  // takes none.
  if (!source || !source->active || !takes_replies(*source)) return {};
  const Millis now = clock_.now_ms();
  OutboundIm row;
  row.source_id = source->id;
  row.ticket_id = ticket.id;
  row.ticket_message_id = message.id;
  row.external_id = sender->second;
  row.body = message.body;
  row.created_at = now;
  GONGDAN_ASSIGN(row.id, store::insert_outbound_im(c, row));
  NewJob job;
  job.kind = std::string(kImReplyJob);
  job.payload = json::serialize(json::object{{"outbound_id", row.id}});
  job.run_at = now;
  job.idempotency_key = "im:" + std::to_string(row.id);
  GONGDAN_TRY(jobs_.enqueue(c, job));
  // Its files go each by a job of their own, for the kinds whose providers take files.
  if (source->kind == InboundKind::kGeneric || source->kind == InboundKind::kCti) return {};
  GONGDAN_ASSIGN(auto files, store::attachments_of_messages(c, {message.id}));
  std::size_t queued = 0;
  for (const auto& a : files[message.id]) {
    if (++queued > kMaxInboundFiles) break;
    NewJob file_job;
    file_job.kind = std::string(kImReplyFileJob);
    file_job.payload =
        json::serialize(json::object{{"outbound_id", row.id}, {"attachment_id", a.id}});
    file_job.run_at = now;
    file_job.idempotency_key =
        "im_reply_file:" + std::to_string(row.id) + ":" + std::to_string(a.id);
    GONGDAN_TRY(jobs_.enqueue(c, file_job));
  }
  return {};
}

Result<std::optional<InboundService::FileToSend>> InboundService::prepare_reply_file(
    std::int64_t outbound_id, std::int64_t attachment_id) {
  if (!files_) return fail(ErrorCode::kUnavailable, "no file store");
  std::optional<OutboundIm> row;
  std::optional<InboundSource> found;
  std::optional<Attachment> attachment;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(row, store::find_outbound_im(c, outbound_id));
    if (!row) return {};
    GONGDAN_ASSIGN(found, load_one(c, inbound_source_resource(), row->source_id));
    GONGDAN_ASSIGN(attachment, store::find_attachment(c, attachment_id));
    return {};
  }));
  // The reply, or the file on it, is gone (a ticket erased meanwhile): nothing to send.
  if (!row || !attachment || !row->ticket_message_id ||
      attachment->message_id != row->ticket_message_id)
    return std::optional<FileToSend>{};
  if (!found) return fail(ErrorCode::kInvalidArgument, "its inbound source was removed");
  GONGDAN_ASSIGN(auto s, opened(std::move(*found)));
  if (!takes_replies(s.source))
    return fail(ErrorCode::kInvalidArgument, "the source takes no replies now");
  GONGDAN_ASSIGN(auto bytes, files_->read(attachment->sha256));
  FileToSend out{std::move(s), row->external_id,
                 ReplyFile{attachment->filename, attachment->content_type, std::move(bytes)}};
  return std::optional<FileToSend>(std::move(out));
}

Result<std::optional<ImDelivery>> InboundService::prepare_reply(std::int64_t id) {
  std::optional<OutboundIm> row;
  std::optional<InboundSource> found;
  std::int64_t ticket_number = 0;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(row, store::find_outbound_im(c, id));
    if (!row) return {};
    GONGDAN_ASSIGN(found, load_one(c, inbound_source_resource(), row->source_id));
    GONGDAN_ASSIGN(auto ticket, store::find_ticket(c, row->ticket_id));
    if (ticket) ticket_number = ticket->number;
    return {};
  }));
  if (!row || row->status == "sent") return std::optional<ImDelivery>{};
  if (!found) return fail(ErrorCode::kInvalidArgument, "its inbound source was removed");
  GONGDAN_ASSIGN(auto s, opened(std::move(*found)));
  const Error none{ErrorCode::kInvalidArgument, "the source takes no replies now", {}, 0};
  if (!takes_replies(s.source)) return fail(none);
  ImDelivery d{s.source.kind, {}, {}, {{"Content-Type", "application/json"}}, std::nullopt};
  switch (s.source.kind) {
    case InboundKind::kTelegram:
      d.url = provider_api(s.source) + "/bot" + s.api_token + "/sendMessage";
      d.body = telegram_body(row->external_id, row->body);
      return std::optional<ImDelivery>(std::move(d));
    case InboundKind::kGeneric:
      break;
    case InboundKind::kCti:
      return fail(none);
    case InboundKind::kWecom:
    case InboundKind::kFeishu:
    case InboundKind::kDingtalk: {
      auto reply = provider_reply(s.source, app_secret(s), row->external_id, row->body, row->id);
      if (!reply) return fail(none);
      return std::optional<ImDelivery>(std::move(*reply));
    }
  }
  // Generic: signed like gongdan's webhooks, with the id a receiver drops repeats by.
  d.url = s.source.api_base;
  d.body = json::serialize(json::object{{"id", "reply-" + std::to_string(row->id)},
                                        {"to", row->external_id},
                                        {"text", row->body},
                                        {"ticket", ticket_number}});
  const std::string timestamp = std::to_string(clock_.now_ms() / 1000);
  d.headers.emplace_back("X-Gongdan-Timestamp", timestamp);
  d.headers.emplace_back("X-Gongdan-Signature",
                         crypto::body_signature(s.signing_secret, timestamp, d.body));
  return std::optional<ImDelivery>(std::move(d));
}

std::string_view InboundService::app_secret(const OpenedSource& s) {
  return s.source.kind == InboundKind::kDingtalk ? s.signing_secret : s.api_token;
}

std::optional<ImDelivery> InboundService::media_request(const OpenedSource& source,
                                                        std::string_view reference) const {
  return provider_media(source.source, app_secret(source), reference);
}

Result<void> InboundService::queue_sync(const InboundSource& source, std::string_view sync_token,
                                        std::string_view open_kfid) {
  return db_.write([&](store::Connection& c) -> Result<void> {
    NewJob job;
    job.kind = std::string(kImSyncJob);
    job.payload = json::serialize(
        json::object{{"source_id", source.id}, {"token", sync_token}, {"open_kfid", open_kfid}});
    job.run_at = clock_.now_ms();
    // WeCom retries a callback it had no answer to in 5 seconds: one pull for them all.
    job.idempotency_key =
        "im_sync:" + std::to_string(source.id) + ":" + crypto::sha256_hex(sync_token);
    GONGDAN_TRY(jobs_.enqueue(c, job));
    return {};
  });
}

Result<std::optional<ImDelivery>> InboundService::sync_request(const OpenedSource& source,
                                                               std::string_view sync_token,
                                                               std::string_view open_kfid) {
  GONGDAN_ASSIGN(auto cursor, store::read_value(db_, [&](store::Connection& c) {
                   return store::inbound_sync_cursor(c, source.source.id);
                 }));
  return wecom_sync(source.source, app_secret(source), cursor, sync_token, open_kfid);
}

Result<void> InboundService::save_sync_cursor(std::int64_t source_id, std::string_view cursor) {
  return db_.write(
      [&](store::Connection& c) { return store::save_inbound_sync_cursor(c, source_id, cursor); });
}

Result<void> InboundService::record_reply_attempt(std::int64_t id, std::string_view error,
                                                  bool last) {
  return record_delivery_attempt(db_, clock_.now_ms(), id, error, last, store::find_outbound_im,
                                 store::save_outbound_im_state);
}

Result<std::map<std::int64_t, OutboundIm>> InboundService::replies(
    const std::vector<std::int64_t>& message_ids) {
  if (message_ids.empty()) return std::map<std::int64_t, OutboundIm>{};
  return store::read_value(
      db_, [&](store::Connection& c) { return store::outbound_im_of_messages(c, message_ids); });
}

}  // namespace gongdan::services
