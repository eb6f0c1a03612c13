// /api/v1/mail/…: raw mail in (mailgate and programs), the quarantine for admins, and the mail
// behind a ticket message (quoted history, full text, the raw .eml).

#include "api/answer_shape.hpp"
#include "api/download.hpp"
#include "api/router.hpp"
#include "api/ticket_handlers_common.hpp"
#include "channels/email/mail_intake.hpp"
#include "util/text.hpp"

namespace gongdan::api {
namespace {

json::object outcome_json(const email::IntakeOutcome& o) {
  json::object out{{"status", o.status}};
  out["ticket"] = o.ticket_number ? json::value(o.ticket_number) : json::value(nullptr);
  out["message"] = o.message_id ? json::value(o.message_id) : json::value(nullptr);
  out["quarantine"] = o.quarantine_id ? json::value(o.quarantine_id) : json::value(nullptr);
  if (!o.reason.empty()) out["reason"] = o.reason;
  return out;
}

unsigned outcome_status(const email::IntakeOutcome& o) {
  if (o.status == "created" || o.status == "added") return 201;
  if (o.status == "quarantined") return 202;  // kept: the sender must not retry
  return 200;                                 // a duplicate: already stored
}

using namespace shape;

const AnswerShape<QuarantineEntry> kQuarantineShape{
    integer("id", &QuarantineEntry::id),
    integer("size", &QuarantineEntry::raw_size),
    text("reason", &QuarantineEntry::reason),
    member("status", &QuarantineEntry::status, schema::enum_of({"held", "released"})),
    integer("attempts", &QuarantineEntry::attempts),
    instant("created_at", &QuarantineEntry::created_at),
    instant("updated_at", &QuarantineEntry::updated_at),
    computed<QuarantineEntry>(
        "raw_url",
        [](const QuarantineEntry& q) {
          return "/api/v1/mail/quarantine/" + std::to_string(q.id) + "/raw";
        },
        schema::string()),
    integer("department", &QuarantineEntry::department_id),
    integer("ticket", &QuarantineEntry::ticket_number)};

const AnswerShape<OutboundMail> kOutboundShape{
    integer("id", &OutboundMail::id),
    member("kind", &OutboundMail::kind, schema::enum_of({"reply", "acknowledgement"})),
    text("to", &OutboundMail::to_address),
    computed<OutboundMail>(
        "cc", [](const OutboundMail& m) { return address_list(m.cc); },
        schema::array_of(schema::string()).describe("Copied: shown to every recipient.")),
    computed<OutboundMail>(
        "bcc", [](const OutboundMail& m) { return address_list(m.bcc); },
        schema::array_of(schema::string()).describe("Blind copies: the envelope only.")),
    text("from", &OutboundMail::from_address),
    text("subject", &OutboundMail::subject),
    member("status", &OutboundMail::status, schema::enum_of({"queued", "sent", "failed"})),
    integer("attempts", &OutboundMail::attempts),
    text("last_error", &OutboundMail::last_error),
    text("message_id", &OutboundMail::message_id),
    instant("created_at", &OutboundMail::created_at),
    instant("sent_at", &OutboundMail::sent_at),
    integer("message", &OutboundMail::ticket_message_id)
        .describe("The ticket message it carried.")};

Result<Response> inbound(ApiContext& ctx, Request& request) {
  std::optional<std::int64_t> department;
  if (auto d = request.query_value("department")) {
    auto id = text::parse_id(*d).value_or(0);
    if (id <= 0) return fail(ErrorCode::kInvalidArgument, "not a department id", "department");
    GONGDAN_ASSIGN(auto catalog, ctx.directory.catalog());
    if (!catalog->department(id))
      return fail(ErrorCode::kInvalidArgument, "no such department", "department");
    department = id;
  }
  // ?mailbox=ID says which of our mailboxes received it: its department (unless given) and
  // whether its help-desk headers are trusted.
  bool trusted = false;
  if (auto m = request.query_value("mailbox")) {
    auto id = text::parse_id(*m).value_or(0);
    if (id <= 0) return fail(ErrorCode::kInvalidArgument, "not a mailbox id", "mailbox");
    GONGDAN_ASSIGN(auto box, ctx.mailboxes.account(id));
    if (!box) return fail(ErrorCode::kInvalidArgument, "no such mailbox", "mailbox");
    trusted = box->mailbox.trusted;
    if (!department) department = box->mailbox.department_id;
  }
  if (request.body.empty())
    return fail(ErrorCode::kInvalidArgument, "the body must be a raw message", "body");
  GONGDAN_ASSIGN(auto outcome, ctx.mail.ingest(request.body, department, trusted));
  return json_response(outcome_status(outcome), outcome_json(outcome));
}

Result<Response> list_quarantine(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto page, page_request(request));
  std::optional<std::string> status;
  if (auto s = request.query_value("status")) {
    if (*s != "held" && *s != "released")
      return fail(ErrorCode::kInvalidArgument, "use held or released", "status");
    status = std::string(*s);
  }
  // The cursor is the last id seen; the list runs newest first.
  GONGDAN_ASSIGN(auto rows, ctx.mail.service().list_quarantine(request.who(), status, page.after,
                                                               page.limit + 1));
  return json_response(200, page_answer(rows, page.limit, kQuarantineShape));
}

Result<Response> get_quarantine(ApiContext& ctx, Request& request, bool raw) {
  GONGDAN_ASSIGN(auto id, path_id(request, "id", "quarantined message"));
  GONGDAN_ASSIGN(auto held, ctx.mail.service().quarantined(request.who(), id, raw));
  if (!raw) return json_response(200, kQuarantineShape.write(held.row));
  return download_response(std::move(held.raw), "quarantine-" + std::to_string(id) + ".eml",
                           "message/rfc822", "message/rfc822");
}

Result<Response> retry_quarantine(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto id, path_id(request, "id", "quarantined message"));
  GONGDAN_ASSIGN(auto outcome, ctx.mail.retry(request.who(), id));
  return json_response(200, outcome_json(outcome));
}

Result<Response> delete_quarantine(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto id, path_id(request, "id", "quarantined message"));
  GONGDAN_TRY(ctx.mail.service().delete_quarantined(request.who(), id));
  return no_content();
}

Result<Response> message_mail(ApiContext& ctx, Request& request, bool raw) {
  GONGDAN_ASSIGN(auto number, ticket_number(request));
  GONGDAN_ASSIGN(auto message_id, path_id(request, "message", "message"));
  // The ticket's visibility rules.
  GONGDAN_ASSIGN(auto ticket, ctx.tickets.get(request.who(), number));
  GONGDAN_ASSIGN(auto mail, ctx.mail.service().mail_of_message(message_id, raw));
  const auto& r = mail.record;
  // Customers see the mail only of their own messages: an agent's mail names the agent's reply
  // address (the proof that the agent wrote), and other people's mail is theirs.
  const bool own = mail.author_id && *mail.author_id == request.who().user.id;
  if (r.ticket_id != ticket.id || (!request.who().is_agent() && (mail.internal || !own)))
    return fail(ErrorCode::kNotFound, "this message did not come by mail");
  if (raw)
    return download_response(std::move(mail.raw), "message-" + std::to_string(message_id) + ".eml",
                             "message/rfc822", "message/rfc822");
  json::array flags;
  for (auto f : text::split(r.flags, ';')) {
    auto trimmed = text::trim(f);
    if (!trimmed.empty()) flags.emplace_back(trimmed);
  }
  return json_response(
      200, json::object{{"message_id", r.message_id},
                        {"direction", r.direction},
                        {"from", r.from_address},
                        {"subject", r.subject},
                        {"full_text", r.full_text},
                        {"quoted_text", r.quoted_text},
                        {"quoted_html", r.quoted_html},
                        {"flags", std::move(flags)},
                        {"size", r.raw_size},
                        {"received_at", iso_time(r.created_at)},
                        {"raw_url", "/api/v1/tickets/" + std::to_string(number) + "/messages/" +
                                        std::to_string(message_id) + "/raw"}});
}

// Everything the ticket mailed, acknowledgements included: a failed send shows here even when
// no ticket message carries it.
Result<Response> ticket_outbound(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto number, ticket_number(request));
  if (!request.who().is_agent()) return fail(ErrorCode::kNotFound, "no such ticket");
  GONGDAN_ASSIGN(auto ticket, ctx.tickets.get(request.who(), number));
  GONGDAN_ASSIGN(auto rows, ctx.outbox.outbound_of_ticket(ticket.id, 200));
  return json_response(200, items_answer(rows, kOutboundShape));
}

using namespace schema;

RouteDoc inbound_doc() {
  return doc("deliverMail")
      .describe(
          "One raw RFC 5322 message as the body (any Content-Type; up to `mail_limit`, "
          "64 MiB by default). A token with the `mail` scope, or an admin session. 503 "
          "only when the message could not be kept at all.")
      .body(string().describe("The raw message."), "message/rfc822")
      .query("department", integer(), "The department of a new ticket.")
      .query("mailbox", integer(),
             "Which of our mailboxes received it: its department by default, and a trusted "
             "mailbox's X-Gongdan-Priority/Type/Tags apply to a new ticket.")
      .returns(201, ref("MailIntakeOutcome"), "A new ticket, or a reply added to one.")
      .returns(200, ref("MailIntakeOutcome"), "Already stored (`duplicate`).")
      .returns(202, ref("MailIntakeOutcome"),
               "Quarantined, with the reason: kept, do not send it again.")
      .errors({503});
}

Schema message_mail_schema() {
  return object({{"message_id", string()},
                 {"direction", enum_of({"in", "out"})},
                 {"from", string()},
                 {"subject", string()},
                 {"full_text", string()},
                 {"quoted_text", string()},
                 {"quoted_html", string()},
                 {"flags", array_of(string()).describe("The loop guard's verdict, parser "
                                                       "warnings, sender checks.")},
                 {"size", integer()},
                 {"received_at", date_time()},
                 {"raw_url", string()}})
      .require_all();
}

RouteDoc raw_mail_doc(std::string id) {
  return doc(std::move(id))
      .returns(200, string(), "The message, always as an attachment.", "message/rfc822")
      .with_headers({"Content-Disposition"});
}

}  // namespace

// mail_settings_handlers.cpp
void add_mail_settings_routes(Router& router, ApiContext& ctx);

void add_mail_routes(Router& router, ApiContext& ctx) {
  add_mail_settings_routes(router, ctx);
  router.define_schema(
      "MailIntakeOutcome",
      object({{"status", enum_of({"created", "added", "duplicate", "quarantined"})},
              {"ticket", nullable(integer())},
              {"message", nullable(integer())},
              {"quarantine", nullable(integer())},
              {"reason", string().describe("Why it was quarantined.")}})
          .require({"status", "ticket", "message", "quarantine"}));
  router.add("POST", "/api/v1/mail/inbound", Access::kMailGate, "mail",
             "Deliver one raw RFC 5322 message (body; ?department=ID): creates a ticket, adds a "
             "reply, or quarantines it (token with the mail scope)",
             inbound_doc(), [&ctx](Request& r) { return answer(inbound(ctx, r)); });
  router.add("GET", "/api/v1/mail/quarantine", Access::kSignedIn, "mail",
             "Messages that could not be processed, newest first (admins)",
             doc("listQuarantine")
                 .query("status", enum_of({"held", "released"}), "Only entries in this state.")
                 .paged()
                 .returns(200, page_of(kQuarantineShape.schema())),
             [&ctx](Request& r) { return answer(list_quarantine(ctx, r)); });
  router.add("GET", "/api/v1/mail/quarantine/{id}", Access::kSignedIn, "mail",
             "One quarantined message (admins)",
             doc("getQuarantined").returns(200, kQuarantineShape.schema()),
             [&ctx](Request& r) { return answer(get_quarantine(ctx, r, false)); });
  router.add("GET", "/api/v1/mail/quarantine/{id}/raw", Access::kSignedIn, "mail",
             "Download a quarantined message as .eml (admins)", raw_mail_doc("getQuarantinedRaw"),
             [&ctx](Request& r) { return answer(get_quarantine(ctx, r, true)); });
  router.add("POST", "/api/v1/mail/quarantine/{id}/retry", Access::kSignedIn, "mail",
             "Run a quarantined message through intake again (admins)",
             doc("retryQuarantined")
                 .describe("Success releases the entry; 409 when it is released already.")
                 .returns(200, ref("MailIntakeOutcome"))
                 .errors({409}),
             [&ctx](Request& r) { return answer(retry_quarantine(ctx, r)); });
  router.add("DELETE", "/api/v1/mail/quarantine/{id}", Access::kSignedIn, "mail",
             "Delete a quarantined message (admins; audited)",
             doc("deleteQuarantined")
                 .describe("The entry goes; the audit log keeps its reason, size and SHA-256.")
                 .returns_nothing(),
             [&ctx](Request& r) { return answer(delete_quarantine(ctx, r)); });
  router.add("GET", "/api/v1/tickets/{number}/messages/{message}/mail", Access::kSignedIn, "mail",
             "The mail behind a message: quoted history, full text, flags",
             doc("getMessageMail")
                 .describe("404 for messages that did not come by mail. Customers get this only "
                           "for their own messages.")
                 .returns(200, message_mail_schema()),
             [&ctx](Request& r) { return answer(message_mail(ctx, r, false)); });
  router.add("GET", "/api/v1/tickets/{number}/outbound-mail", Access::kSignedIn, "mail",
             "Every mail the ticket sent or is sending, acknowledgements included (agents)",
             doc("listTicketOutboundMail").returns(200, items_of(kOutboundShape.schema())),
             [&ctx](Request& r) { return answer(ticket_outbound(ctx, r)); });
  router.add("GET", "/api/v1/tickets/{number}/messages/{message}/raw", Access::kSignedIn, "mail",
             "Download the original message as .eml", raw_mail_doc("getMessageRaw"),
             [&ctx](Request& r) { return answer(message_mail(ctx, r, true)); });
}

}  // namespace gongdan::api
