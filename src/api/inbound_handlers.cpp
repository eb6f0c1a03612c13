// Inbound sources' webhooks (POST /api/v1/inbound/{source_id}/webhook: public, each request
// proved by the source's signature or secret token) and the calls agents log on tickets. The
// sources themselves are the declared resource `inbound-sources`.
#include <spdlog/spdlog.h>

#include "api/answer_shape.hpp"
#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "api/ticket_json.hpp"
#include "channels/im/dingtalk.hpp"
#include "channels/im/feishu.hpp"
#include "channels/im/inbound_parse.hpp"
#include "channels/im/wecom.hpp"
#include "util/text.hpp"

namespace gongdan::api {
namespace {

std::string_view result_name(services::InboundResult r) {
  switch (r) {
    case services::InboundResult::kCreated:
      return "created";
    case services::InboundResult::kAdded:
      return "added";
    case services::InboundResult::kDuplicate:
      return "duplicate";
  }
  return "created";
}

services::CallReport report_of(channels::im::CallEvent&& e) {
  static constexpr std::string_view kKinds[] = {"ringing", "answered", "missed", "ended"};
  return {std::move(e.event_id),  std::string(kKinds[static_cast<int>(e.kind)]),
          std::move(e.number),    std::move(e.name),
          std::move(e.direction), e.agent_id,
          e.duration_seconds,     std::move(e.recording_url)};
}

Result<Response> take_call(ApiContext& ctx, const InboundSource& source, std::string_view body) {
  GONGDAN_ASSIGN(auto event, channels::im::parse_call_event(body));
  GONGDAN_ASSIGN(auto outcome, ctx.inbound->take_call(source, report_of(std::move(event))));
  json::array open(outcome.open_tickets.begin(), outcome.open_tickets.end());
  return json_response(200, json::object{{"result", outcome.duplicate ? "duplicate" : "taken"},
                                         {"contact", outcome.contact_id},
                                         {"open_tickets", std::move(open)},
                                         {"ticket", or_null(outcome.ticket_number)}});
}

channels::im::WecomQuery wecom_query(const Request& r) {
  return {r.query_value("msg_signature"), r.query_value("timestamp"), r.query_value("nonce")};
}

channels::im::WecomKeys wecom_keys(const services::OpenedSource& s) {
  return {s.signing_secret, s.aes_key, s.source.app_id};
}

// WeCom's callback says only that messages wait: an im_sync job pulls them.
Result<Response> receive_wecom(ApiContext& ctx, const services::OpenedSource& s,
                               const Request& request, Millis now) {
  const auto query = wecom_query(request);
  if (!query.signature) return fail(ErrorCode::kUnauthenticated, "send msg_signature");
  GONGDAN_ASSIGN(auto encrypted, channels::im::wecom_encrypted_member(request.body));
  GONGDAN_ASSIGN(auto xml, channels::im::wecom_open(wecom_keys(s), query, encrypted, now));
  GONGDAN_ASSIGN(auto event, channels::im::parse_wecom_event(xml));
  if (event.sync_token.empty()) return json_response(200, json::object{{"result", "ignored"}});
  GONGDAN_TRY(ctx.inbound->queue_sync(s.source, event.sync_token, event.open_kfid));
  return json_response(200, json::object{{"result", "queued"}});
}

// WeCom's URL verification: the decrypted echostr, as text, proves we hold the key.
Result<Response> verify(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto id, path_id(request, "source_id", "inbound source"));
  GONGDAN_ASSIGN(auto opened, ctx.inbound->source(id));
  if (opened.source.kind != InboundKind::kWecom)
    return fail(ErrorCode::kInvalidArgument, "only a wecom source answers URL verification");
  const auto echo = request.query_value("echostr");
  if (!echo) return fail(ErrorCode::kInvalidArgument, "is required", "echostr");
  GONGDAN_ASSIGN(auto plain, channels::im::wecom_open(wecom_keys(opened), wecom_query(request),
                                                      *echo, ctx.clock->now_ms()));
  Response r;
  r.body = std::move(plain);
  r.content_type = "text/plain; charset=utf-8";
  return r;
}

// A checked message taken in (or a delivery with nothing for the desk, acknowledged).
Result<Response> taken(ApiContext& ctx, const InboundSource& source,
                       std::optional<InboundMessage> message) {
  if (!message) return json_response(200, json::object{{"result", "ignored"}});
  GONGDAN_ASSIGN(auto outcome, ctx.inbound->take(source, std::move(*message)));
  return json_response(200, json::object{{"result", result_name(outcome.result)},
                                         {"ticket", outcome.ticket_number},
                                         {"message", outcome.message_id}});
}

// Feishu: the url_verification challenge answered; im.message.receive_v1 taken in.
Result<Response> receive_feishu(ApiContext& ctx, const services::OpenedSource& s,
                                const Request& request, Millis now) {
  const channels::im::FeishuHeaders headers{request.header("x-lark-request-timestamp"),
                                            request.header("x-lark-request-nonce"),
                                            request.header("x-lark-signature")};
  GONGDAN_ASSIGN(auto event, channels::im::open_feishu({s.signing_secret, s.aes_key}, headers,
                                                       request.body, now));
  if (event.kind == channels::im::FeishuEventKind::kChallenge)
    return json_response(200, json::object{{"challenge", event.challenge}});
  if (event.kind == channels::im::FeishuEventKind::kOther) return taken(ctx, s.source, {});
  return taken(ctx, s.source, std::move(event.message));
}

Result<Response> receive(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto id, path_id(request, "source_id", "inbound source"));
  GONGDAN_ASSIGN(auto opened, ctx.inbound->source(id));
  const auto& source = opened.source;
  const Millis now = ctx.clock->now_ms();
  // The proof comes first: nothing of an unproved body is read (WeCom's and Feishu's proofs
  // cover a member of the body, or what it decrypts to: their readers check them first).
  switch (source.kind) {
    case InboundKind::kWecom:
      return receive_wecom(ctx, opened, request, now);
    case InboundKind::kFeishu:
      return receive_feishu(ctx, opened, request, now);
    case InboundKind::kDingtalk: {
      GONGDAN_TRY(channels::im::check_dingtalk_sign(
          opened.signing_secret, request.header("timestamp"), request.header("sign"), now));
      GONGDAN_ASSIGN(auto message, channels::im::parse_dingtalk_message(request.body));
      return taken(ctx, source, std::move(message));
    }
    case InboundKind::kTelegram: {
      GONGDAN_TRY(channels::im::check_secret_token(
          opened.signing_secret, request.header("x-telegram-bot-api-secret-token")));
      GONGDAN_ASSIGN(auto message, channels::im::parse_telegram_update(request.body));
      return taken(ctx, source, std::move(message));
    }
    case InboundKind::kGeneric:
    case InboundKind::kCti:
      break;
  }
  GONGDAN_TRY(
      channels::im::check_signed_body(opened.signing_secret, request.header("x-gongdan-timestamp"),
                                      request.header("x-gongdan-signature"), request.body, now));
  if (source.kind == InboundKind::kCti) return take_call(ctx, source, request.body);
  GONGDAN_ASSIGN(auto message, channels::im::parse_generic_message(request.body));
  return taken(ctx, source, std::move(message));
}

using namespace shape;

const AnswerShape<CallLog> kCallShape{
    integer("id", &CallLog::id),
    member("direction", &CallLog::direction, schema::enum_of({"inbound", "outbound"})),
    text("number", &CallLog::number),
    integer("duration_seconds", &CallLog::duration_seconds),
    member("outcome", &CallLog::outcome,
           schema::enum_of({"answered", "missed", "voicemail", "busy", "failed"})),
    text("notes", &CallLog::notes),
    text("recording_url", &CallLog::recording_url)
        .describe("The PBX's recording, when it sent one."),
    integer("author", &CallLog::author_id).describe("The agent who logged it; null: the PBX."),
    instant("started_at", &CallLog::started_at),
    instant("created_at", &CallLog::created_at)};

Result<std::int64_t> number_of(const Request& request) {
  auto n = text::parse_id(request.param("number"));
  if (!n) return fail(ErrorCode::kNotFound, "no such ticket");
  return *n;
}

Result<Response> log_call(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto number, number_of(request));
  GONGDAN_ASSIGN(auto body, parse_object(request.body, {"direction", "number", "duration_seconds",
                                                        "outcome", "notes", "started_at"}));
  CallLog call;
  GONGDAN_ASSIGN(auto direction, optional_string(body, "direction", 20));
  call.direction = direction.value_or("inbound");
  GONGDAN_ASSIGN(call.number, required_string(body, "number", 64));
  if (const auto* d = body.if_contains("duration_seconds")) {
    if (!d->is_int64())
      return fail(ErrorCode::kInvalidArgument, "must be an integer", "duration_seconds");
    call.duration_seconds = d->get_int64();
  }
  GONGDAN_ASSIGN(auto outcome, optional_string(body, "outcome", 20));
  call.outcome = outcome.value_or("answered");
  GONGDAN_ASSIGN(auto notes, optional_string(body, "notes", kMaxCallNotesLength));
  call.notes = notes.value_or("");
  GONGDAN_ASSIGN(auto started, optional_string(body, "started_at", 40));
  if (started) {
    GONGDAN_ASSIGN(call.started_at, parse_iso_time(*started, "started_at"));
  }
  GONGDAN_ASSIGN(auto logged, ctx.calls->log(request.who(), number, std::move(call)));
  return json_response(201, kCallShape.write(logged));
}

Result<Response> list_calls(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto number, number_of(request));
  GONGDAN_ASSIGN(auto calls, ctx.calls->of_ticket(request.who(), number));
  return json_response(200, items_answer(calls, kCallShape));
}

using namespace schema;

// What refused requests are logged as: the source and why, never the body.
Response logged(const Request& r, Result<Response> answered) {
  if (!answered && answered.error().code == ErrorCode::kUnauthenticated)
    spdlog::info("inbound source {}: refused: {}", r.param("source_id"), answered.error().message);
  return answer(std::move(answered));
}

RouteDoc verify_doc() {
  return doc("verifyInbound")
      .describe(
          "WeCom's URL verification of a wecom source's callback: msg_signature, timestamp, "
          "nonce and echostr as WeCom sends them; the answer is the decrypted echostr. See "
          "docs/channels.md.")
      .query("msg_signature", string(), "SHA-1 over the sorted Token, timestamp, nonce, echostr")
      .query("timestamp", string(), "Unix seconds")
      .query("nonce", string(), "WeCom's nonce")
      .query("echostr", string(), "The encrypted text to decrypt", true)
      .returns(200, string(), "The decrypted echostr.", "text/plain")
      .errors({401});
}

RouteDoc webhook_doc() {
  return doc("receiveInbound")
      .describe(
          "An inbound source's webhook. generic and cti: signed with X-Gongdan-Timestamp and "
          "X-Gongdan-Signature (sha256= hex HMAC-SHA256 of timestamp.body, 5 minutes' skew); "
          "telegram: X-Telegram-Bot-Api-Secret-Token; wecom: msg_signature, timestamp and nonce "
          "in the query over the XML's Encrypt (AES-256-CBC with the EncodingAESKey), answered "
          "`queued` while a job pulls the messages; dingtalk: the timestamp and sign headers "
          "(HMAC-SHA256 with the AppSecret); feishu: the Verification Token, and with an "
          "Encrypt Key the encrypted body and X-Lark-Signature (a url_verification is answered "
          "with its challenge). A provider's retry of one event id is "
          "answered `duplicate` and adds nothing. See docs/channels.md.")
      .query("msg_signature", string(), "wecom: the callback's signature")
      .query("timestamp", string(), "wecom: Unix seconds")
      .query("nonce", string(), "wecom: WeCom's nonce")
      .body(object({}).open())
      .body(string(), "application/xml")
      .returns(200, object({{"result", enum_of({"created", "added", "duplicate", "ignored", "taken",
                                                "queued"})},
                            {"challenge", string().describe("feishu: url_verification's answer")},
                            {"ticket", nullable(integer())},
                            {"message", integer()},
                            {"contact", integer()},
                            {"open_tickets", array_of(integer())}}))
      .errors({401});
}

}  // namespace

void add_inbound_routes(Router& router, ApiContext& ctx) {
  router.define_schema("CallLog", kCallShape.schema());
  if (ctx.inbound) {
    router.add("POST", "/api/v1/inbound/{source_id}/webhook", Access::kPublic, "inbound",
               "Receive an inbound source's message or call event", webhook_doc(),
               [&ctx](Request& r) { return logged(r, receive(ctx, r)); });
    router.add("GET", "/api/v1/inbound/{source_id}/webhook", Access::kPublic, "inbound",
               "Answer a WeCom source's URL verification", verify_doc(),
               [&ctx](Request& r) { return logged(r, verify(ctx, r)); });
  }
  if (!ctx.calls) return;
  const std::string base = "/api/v1/tickets/{number}/calls";
  router.add("GET", base, Access::kSignedIn, "tickets", "Calls logged on a ticket (agents)",
             doc("listCalls").returns(200, items_of(ref("CallLog"))),
             [&ctx](Request& r) { return answer(list_calls(ctx, r)); });
  router.add(
      "POST", base, Access::kSignedIn, "tickets", "Log a phone call on a ticket (agents)",
      doc("logCall")
          .body(object({{"direction", enum_of({"inbound", "outbound"})},
                        {"number", string().max_length(64)},
                        {"duration_seconds", integer().minimum(0).maximum(604800)},
                        {"outcome", enum_of({"answered", "missed", "voicemail", "busy", "failed"})},
                        {"notes", string().max_length(16384)},
                        {"started_at", date_time()}})
                    .require({"number"}))
          .returns(201, ref("CallLog")),
      [&ctx](Request& r) { return answer(log_call(ctx, r)); });
}

}  // namespace gongdan::api
