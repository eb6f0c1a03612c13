#include "services/inbound_service.hpp"

#include <boost/json.hpp>

#include "domain/delivery_attempt.hpp"
#include "services/job_kinds.hpp"
#include "services/resource_load.hpp"
#include "services/webhook_target.hpp"
#include "store/database.hpp"
#include "store/inbound_store.hpp"
#include "store/tickets_store.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

namespace json = boost::json;

constexpr std::string_view kTelegramApi = "https://api.telegram.org";

FieldSpec secret_spec(std::string_view key, Words label, Words help, bool generated) {
  return {.key = key,
          .kind = FieldKind::kSecret,
          .label = label,
          .help = help,
          .min = 1,
          .max = 500,
          .sealed = true,
          .generated = generated};
}

std::vector<Bound<InboundSource>> source_fields() {
  return {
      field_of(&InboundSource::id, id_field()),
      field_of(&InboundSource::kind,
               {.key = "kind",
                .label = {"Kind", "类型"},
                .help = {"generic: signed JSON; telegram: a Telegram bot's updates; cti: a "
                         "phone system's call events (docs/channels.md).",
                         "generic：签名的 JSON；telegram：Telegram 机器人的更新；cti：电话系统的"
                         "呼叫事件（见 docs/channels.md）。"},
                .required = true,
                .create_only = true,
                .choices = {"generic", "telegram", "cti"}},
               inbound_kind_name, parse_inbound_kind),
      field_of(&InboundSource::name, unique_name_field()),
      field_of(&InboundSource::department_id,
               department_field({"New tickets go to this department.", "新工单进入此部门。"})),
      field_of(&InboundSource::signing_secret,
               secret_spec("signing_secret", {"Signing secret", "签名密钥"},
                           {"Checks each request (generic, cti: HMAC-SHA256; telegram: the "
                            "webhook's secret_token). Made for you when left empty; shown once.",
                            "用于校验每个请求（generic、cti：HMAC-SHA256；telegram：webhook 的 "
                            "secret_token）。留空则自动生成；只显示一次。"},
                           true)),
      field_of(&InboundSource::api_token,
               secret_spec("api_token", {"Bot token", "机器人令牌"},
                           {"telegram: the bot's token, for sending replies. Stored encrypted.",
                            "telegram：机器人的令牌，用于发送回复。加密保存。"},
                           false)),
      field_of(&InboundSource::api_base,
               {.key = "api_base",
                .label = {"Reply URL", "回复地址"},
                .help = {"generic: where agents' replies are posted (signed JSON); telegram: "
                         "the Bot API's address (empty: api.telegram.org).",
                         "generic：客服回复以签名 JSON 发往此地址；telegram：Bot API 地址（留空："
                         "api.telegram.org）。"},
                .max = 2000},
               [](InboundSource& s) -> Result<void> {
                 if (s.api_base.empty()) return {};
                 auto parsed = parse_webhook_url(s.api_base);
                 if (!parsed)
                   return fail(ErrorCode::kInvalidArgument, "not an http(s) URL", "api_base");
                 while (s.api_base.ends_with('/')) s.api_base.pop_back();
                 return {};
               }),
      field_of(&InboundSource::active, active_field()),
      field_of(
          &InboundSource::received,
          {.key = "received", .label = {"Messages received", "已接收消息"}, .read_only = true}),
      field_of(&InboundSource::created_at, time_field("created_at")),
      field_of(&InboundSource::updated_at, time_field("updated_at")),
  };
}

// Where a reply to `source` goes; empty when the source takes none.
std::string reply_url(const InboundSource& source, std::string_view token) {
  switch (source.kind) {
    case InboundKind::kGeneric:
      return source.api_base;
    case InboundKind::kTelegram:
      if (token.empty()) return {};
      return (source.api_base.empty() ? std::string(kTelegramApi) : source.api_base) + "/bot" +
             std::string(token) + "/sendMessage";
    case InboundKind::kCti:
      return {};
  }
  return {};
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
  static const Resource<InboundSource> r =
      declare<InboundSource>({.name = "inbound-sources",
                              .noun = "inbound_source",
                              .title = {"Inbound sources", "接入渠道"},
                              .tag = "inbound",
                              .table = "inbound_sources",
                              .read = Audience::kAdmins,
                              .ops = {.remove = true}},
                             source_fields());
  return r;
}

void InboundService::add_to(Resources& resources) {
  Hooks<InboundSource> hooks;
  hooks.check = [](store::Connection&, const Principal&, InboundSource& s,
                   const InboundSource*) -> Result<void> {
    if (s.kind == InboundKind::kCti && !s.api_base.empty())
      return fail(ErrorCode::kInvalidArgument, "a cti source sends no replies", "api_base");
    return {};
  };
  resources.add(inbound_source_resource(), std::move(hooks));
}

Result<OpenedSource> InboundService::source(std::int64_t id) {
  GONGDAN_ASSIGN(auto found, store::read_value(db_, [&](store::Connection& c) {
                   return load_one(c, inbound_source_resource(), id);
                 }));
  if (!found || !found->active) return fail(ErrorCode::kNotFound, "no such inbound source");
  OpenedSource opened{std::move(*found), {}, {}};
  if (!opened.source.signing_secret.empty()) {
    GONGDAN_ASSIGN(opened.signing_secret, secrets_.open(opened.source.signing_secret));
  }
  if (!opened.source.api_token.empty()) {
    GONGDAN_ASSIGN(opened.api_token, secrets_.open(opened.source.api_token));
  }
  return opened;
}

Result<void> InboundService::on_public_reply(store::Connection& c, const Ticket& ticket,
                                             const Message& message, const MailCopies&) {
  if (ticket.channel != "im") return {};
  GONGDAN_ASSIGN(auto sender, store::last_sender_of_ticket(c, ticket.id));
  if (!sender) return {};
  GONGDAN_ASSIGN(auto source, load_one(c, inbound_source_resource(), sender->first));
  if (!source || !source->active) return {};
  // A Telegram source without a bot token, or a generic one without a reply URL, takes none.
  if (reply_url(*source, source->api_token.empty() ? "" : "set").empty()) return {};
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
  return {};
}

Result<std::optional<ImDelivery>> InboundService::prepare_reply(std::int64_t id) {
  std::optional<OutboundIm> row;
  std::optional<InboundSource> source;
  std::int64_t ticket_number = 0;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(row, store::find_outbound_im(c, id));
    if (!row) return {};
    GONGDAN_ASSIGN(source, load_one(c, inbound_source_resource(), row->source_id));
    GONGDAN_ASSIGN(auto ticket, store::find_ticket(c, row->ticket_id));
    if (ticket) ticket_number = ticket->number;
    return {};
  }));
  if (!row || row->status == "sent") return std::optional<ImDelivery>{};
  if (!source) return fail(ErrorCode::kInvalidArgument, "its inbound source was removed");
  std::string token;
  if (!source->api_token.empty()) {
    GONGDAN_ASSIGN(token, secrets_.open(source->api_token));
  }
  ImDelivery d;
  d.url = reply_url(*source, token);
  if (d.url.empty()) return fail(ErrorCode::kInvalidArgument, "the source takes no replies now");
  d.headers.emplace_back("Content-Type", "application/json");
  if (source->kind == InboundKind::kTelegram) {
    d.body = telegram_body(row->external_id, row->body);
    return std::optional<ImDelivery>(std::move(d));
  }
  // Generic: signed like gongdan's webhooks, with the id a receiver drops repeats by.
  d.body = json::serialize(json::object{{"id", "reply-" + std::to_string(row->id)},
                                        {"to", row->external_id},
                                        {"text", row->body},
                                        {"ticket", ticket_number}});
  std::string secret;
  if (!source->signing_secret.empty()) {
    GONGDAN_ASSIGN(secret, secrets_.open(source->signing_secret));
  }
  const std::string timestamp = std::to_string(clock_.now_ms() / 1000);
  d.headers.emplace_back("X-Gongdan-Timestamp", timestamp);
  d.headers.emplace_back("X-Gongdan-Signature", crypto::body_signature(secret, timestamp, d.body));
  return std::optional<ImDelivery>(std::move(d));
}

Result<void> InboundService::record_reply_attempt(std::int64_t id, std::string_view error,
                                                  bool last) {
  const Millis now = clock_.now_ms();
  return db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto row, store::find_outbound_im(c, id));
    if (!row) return {};
    note_attempt(*row, error, last, now);
    return store::save_outbound_im_state(c, *row);
  });
}

Result<std::map<std::int64_t, OutboundIm>> InboundService::replies(
    const std::vector<std::int64_t>& message_ids) {
  if (message_ids.empty()) return std::map<std::int64_t, OutboundIm>{};
  return store::read_value(
      db_, [&](store::Connection& c) { return store::outbound_im_of_messages(c, message_ids); });
}

}  // namespace gongdan::services
