// Inbound sources' webhooks (POST /api/v1/inbound/{source_id}/webhook: public, each request
// proved by the source's signature or secret token) and the calls agents log on tickets. The
// sources themselves are the declared resource `inbound-sources`.
#include <spdlog/spdlog.h>

#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "api/ticket_json.hpp"
#include "channels/im/inbound_parse.hpp"
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

Result<Response> receive(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto id, path_id(request, "source_id", "inbound source"));
  GONGDAN_ASSIGN(auto opened, ctx.inbound->source(id));
  const auto& source = opened.source;
  const Millis now = ctx.clock->now_ms();
  // The proof comes first: nothing of an unproved body is read.
  if (source.kind == InboundKind::kTelegram) {
    GONGDAN_TRY(channels::im::check_secret_token(
        opened.signing_secret, request.header("x-telegram-bot-api-secret-token")));
  } else {
    GONGDAN_TRY(channels::im::check_signed_body(
        opened.signing_secret, request.header("x-gongdan-timestamp"),
        request.header("x-gongdan-signature"), request.body, now));
  }
  if (source.kind == InboundKind::kCti) return take_call(ctx, source, request.body);
  std::optional<InboundMessage> message;
  if (source.kind == InboundKind::kTelegram) {
    GONGDAN_ASSIGN(message, channels::im::parse_telegram_update(request.body));
  } else {
    GONGDAN_ASSIGN(message, channels::im::parse_generic_message(request.body));
  }
  if (!message) return json_response(200, json::object{{"result", "ignored"}});
  GONGDAN_ASSIGN(auto outcome, ctx.inbound->take(source, std::move(*message)));
  return json_response(200, json::object{{"result", result_name(outcome.result)},
                                         {"ticket", outcome.ticket_number},
                                         {"message", outcome.message_id}});
}

json::object call_json(const CallLog& c) {
  return json::object{{"id", c.id},
                      {"direction", c.direction},
                      {"number", c.number},
                      {"duration_seconds", c.duration_seconds},
                      {"outcome", c.outcome},
                      {"notes", c.notes},
                      {"recording_url", c.recording_url},
                      {"author", or_null(c.author_id)},
                      {"started_at", iso_time(c.started_at)},
                      {"created_at", iso_time(c.created_at)}};
}

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
  return json_response(201, call_json(logged));
}

Result<Response> list_calls(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto number, number_of(request));
  GONGDAN_ASSIGN(auto calls, ctx.calls->of_ticket(request.who(), number));
  json::array items;
  for (const auto& c : calls) items.push_back(call_json(c));
  return json_response(200, json::object{{"items", std::move(items)}});
}

using namespace schema;

Schema call_schema() {
  return object(
             {{"id", integer()},
              {"direction", enum_of({"inbound", "outbound"})},
              {"number", string()},
              {"duration_seconds", integer()},
              {"outcome", enum_of({"answered", "missed", "voicemail", "busy", "failed"})},
              {"notes", string()},
              {"recording_url", string().describe("The PBX's recording, when it sent one.")},
              {"author", nullable(integer()).describe("The agent who logged it; null: the PBX.")},
              {"started_at", date_time()},
              {"created_at", date_time()}})
      .require_all();
}

RouteDoc webhook_doc() {
  return doc("receiveInbound")
      .describe(
          "An inbound source's webhook. generic and cti: signed with X-Gongdan-Timestamp and "
          "X-Gongdan-Signature (sha256= hex HMAC-SHA256 of timestamp.body, 5 minutes' skew); "
          "telegram: X-Telegram-Bot-Api-Secret-Token. A provider's retry of one event id is "
          "answered `duplicate` and adds nothing. See docs/channels.md.")
      .body(object({}).open())
      .returns(200,
               object({{"result", enum_of({"created", "added", "duplicate", "ignored", "taken"})},
                       {"ticket", nullable(integer())},
                       {"message", integer()},
                       {"contact", integer()},
                       {"open_tickets", array_of(integer())}})
                   .require({"result"}))
      .errors({401});
}

}  // namespace

void add_inbound_routes(Router& router, ApiContext& ctx) {
  router.define_schema("CallLog", call_schema());
  if (ctx.inbound)
    router.add("POST", "/api/v1/inbound/{source_id}/webhook", Access::kPublic, "inbound",
               "Receive an inbound source's message or call event", webhook_doc(),
               [&ctx](Request& r) {
                 auto answered = receive(ctx, r);
                 if (!answered && answered.error().code == ErrorCode::kUnauthenticated)
                   spdlog::info("inbound source {}: refused: {}", r.param("source_id"),
                                answered.error().message);
                 return answer(std::move(answered));
               });
  if (!ctx.calls) return;
  const std::string base = "/api/v1/tickets/{number}/calls";
  router.add(
      "GET", base, Access::kSignedIn, "tickets", "Calls logged on a ticket (agents)",
      doc("listCalls").returns(200, object({{"items", array_of(ref("CallLog"))}}).require_all()),
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
