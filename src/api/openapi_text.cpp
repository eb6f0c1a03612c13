#include "api/openapi_text.hpp"

#include <map>

#include "api/notification_json.hpp"
#include "api/openapi.hpp"
#include "api/router.hpp"

namespace gongdan::api {

using namespace schema;

std::string api_description() {
  return R"(The REST API of gongdan (工单), a self-hosted help desk. JSON over HTTP/1.1 under
`/api/v1/`; times are UTC in ISO 8601 with milliseconds (`2026-11-28T15:30:00.000Z`).

**Requests.** Bodies are read strictly: invalid JSON or UTF-8, an unknown field or a field of the
wrong type is a 400 that names the field. Bodies over the server's `body_limit` (1 MiB by
default) are 413. Before any route, a header block over 16 KiB is 431 and a request that is not
valid HTTP/1.1 is 400 (the connection then closes).

**Errors** all have one shape, `{"error": {"code", "message", "field"}}` (schema `Error`):
`field` names the input at fault when there is one. No input makes the server answer 500.

**Signing in.** People use a session: `POST /api/v1/auth/login` sets the `gongdan_session`
cookie and answers a CSRF token, which every cookie-authenticated `POST`, `PUT`, `PATCH` or
`DELETE` sends back in `X-CSRF-Token`. Programs use an API token (`POST /api/v1/tokens`) as
`Authorization: Bearer <token>`, limited by its scopes: `read` (GET), `write` (the rest),
`mail` (only `POST /api/v1/mail/inbound`).

**Lists** page by key: pass a page's `next_cursor` back as `cursor` until it is `null`;
`limit` is 1 to 200.

**Concurrent edits.** A ticket answers with `ETag: "v<version>"`; send it as `If-Match` with a
change and a stale version gets 412 instead of overwriting. `Idempotency-Key` on a create makes
a retry answer the first result instead of making a second ticket.

**Live updates** come over the WebSocket `GET /api/v1/stream` (tag `stream`).)";
}

std::string tag_description(std::string_view tag) {
  static const std::map<std::string_view, std::string_view> kTags{
      {"agents",
       "Agents (admins manage them), their departments, skills and availability, and the custom "
       "roles they may hold."},
      {"attachments", "Files uploaded ahead of a message, and safe downloads."},
      {"assist",
       "Drafts and summaries from a chat-completions endpoint an admin sets (off by default), "
       "and the log of its requests."},
      {"audit", "The audit log (admins)."},
      {"auth", "Signing in and out, sign-up, sign-in links by mail, and the signed-in user."},
      {"automation",
       "Triggers, time-based automations, macros, mail templates and in-app notifications."},
      {"contacts", "Customers (admins manage them)."},
      {"help centre",
       "The public help centre's pages (/help/{lang}/…): server-rendered HTML, no JavaScript."},
      {"health", "Liveness, readiness and Prometheus metrics for operators."},
      {"inbound", "Inbound sources (IM bots, signed JSON, a PBX's CTI events) and their webhooks."},
      {"chat",
       "Live chat: the widgets, the visitor's calls (proved by the chat's token) and the agents'."},
      {"jobs", "The durable background job queue and its dead letters (admins)."},
      {"knowledge base",
       "Help centre categories, sections and articles; each article's translations, versions, "
       "search and deflections."},
      {"mail", "Inbound mail, the quarantine, mailboxes, mail settings and what a ticket mailed."},
      {"meta", "This document."},
      {"organizations", "Customers' organizations."},
      {"reports", "Report metrics from hourly rollups: counts, times and the backlog."},
      {"csat",
       "Customer satisfaction: the rating links mailed when a ticket is solved (signed tokens, "
       "no sign-in) and a ticket's ratings; the surveys themselves are `csat-surveys`."},
      {"search", "Full-text search over tickets, messages and contacts."},
      {"sign-in", "Sign-in through other systems: LDAP / Active Directory directories."},
      {"settings", "Statuses, departments, custom fields, forms and automatic assignment."},
      {"sla", "Business calendars and SLA policies."},
      {"stream", "Live updates over a WebSocket."},
      {"test", "The test clock: only on a server started with one (tests only)."},
      {"tickets", "Tickets, their messages, history, links, merges and splits."},
      {"triage",
       "Models of the install's own solved tickets that predict new tickets' fields, and their "
       "settings (admins)."},
      {"tokens", "API tokens of the signed-in user."},
      {"views", "Built-in and saved ticket views with live counts."},
      {"webhooks", "Signed webhook subscriptions and their delivery log (admins)."},
  };
  auto it = kTags.find(tag);
  return it == kTags.end() ? std::string() : std::string(it->second);
}

std::string default_description(unsigned status) {
  static const std::map<unsigned, std::string_view> kText{
      {200, "OK."},
      {201, "Created."},
      {202, "Accepted."},
      {204, "Done; no content."},
      {304, "Not modified since the ETag given in If-None-Match."},
      {400, "Invalid input (`invalid_argument`); `field` names it."},
      {401, "No valid session or token (`unauthenticated`)."},
      {403,
       "Not allowed: the role, the token's scope, or a missing CSRF token "
       "(`permission_denied`)."},
      {404, "No such object, or one the caller may not see (`not_found`)."},
      {409, "The current state forbids it, or the name is taken (`conflict`)."},
      {412, "If-Match names a version that is no longer current (`precondition_failed`)."},
      {413, "The body is over the limit (`payload_too_large`)."},
      {415, "The body must be `Content-Type: application/json` (`unsupported_media_type`)."},
      {429, "Too many attempts (`rate_limited`); Retry-After says when to try again."},
      {502, "The model endpoint failed or answered something unreadable (`bad_gateway`)."},
      {503, "Not available now (`unavailable`); Retry-After may say when to try again."},
      {504, "The model endpoint did not answer within its timeout (`gateway_timeout`)."},
  };
  auto it = kText.find(status);
  return it == kText.end() ? "Status " + std::to_string(status) + "." : std::string(it->second);
}

std::string error_response_name(unsigned status) {
  static const std::map<unsigned, std::string_view> kNames{
      {400, "BadRequest"},       {401, "Unauthenticated"},
      {403, "PermissionDenied"}, {404, "NotFound"},
      {409, "Conflict"},         {412, "PreconditionFailed"},
      {413, "PayloadTooLarge"},  {415, "UnsupportedMediaType"},
      {429, "RateLimited"},      {502, "BadGateway"},
      {503, "Unavailable"},      {504, "GatewayTimeout"},
  };
  auto it = kNames.find(status);
  return it == kNames.end() ? "Error" + std::to_string(status) : std::string(it->second);
}

json::object response_header(std::string_view name) {
  static const std::map<std::string_view, std::string_view> kHeaders{
      {"ETag", "The ticket's version, `\"v<version>\"`: send it as If-Match or If-None-Match."},
      {"Idempotent-Replayed",
       "`true` when this is the stored answer to an earlier request "
       "with the same Idempotency-Key."},
      {"Retry-After", "Seconds to wait before trying again."},
      {"X-CSRF-Token", "The session's CSRF token (for a session cookie only)."},
      {"Set-Cookie", "The session cookie `gongdan_session` (HttpOnly, SameSite=Lax)."},
      {"Location", "Where the new object is."},
      {"Content-Disposition", "`attachment` (or `inline` for safe images) with the file name."},
  };
  auto it = kHeaders.find(name);
  json::object header{{"schema", name == "Retry-After" ? integer().value() : string().value()}};
  if (it != kHeaders.end()) header["description"] = it->second;
  return header;
}

json::object security_schemes() {
  return json::object{
      {"bearer", json::object{{"type", "http"},
                              {"scheme", "bearer"},
                              {"description",
                               "An API token (`POST /api/v1/tokens`, or `gongdan token "
                               "create`). Its scopes: `read`, `write`, `mail`."}}},
      {"session", json::object{{"type", "apiKey"},
                               {"in", "cookie"},
                               {"name", "gongdan_session"},
                               {"description", "The session cookie set by signing in."}}},
      {"csrf", json::object{{"type", "apiKey"},
                            {"in", "header"},
                            {"name", "X-CSRF-Token"},
                            {"description",
                             "With a session cookie, every write sends the "
                             "session's CSRF token back in this header."}}}};
}

json::object stream_path_item() {
  return json::object{
      {"get",
       json::object{
           {"operationId", "openStream"},
           {"summary", "Live updates (a WebSocket)"},
           {"tags", json::array{"stream"}},
           {"description", R"(Upgrades to a WebSocket (RFC 6455) on the same port: send
`Connection: Upgrade`, `Upgrade: websocket`, and the session cookie or a Bearer token. A request
whose `Origin` is another site is refused. Every message is one JSON text frame.

**From the server** (schema `StreamServerMessage`):

- `{"type": "hello", "user": ID}` first, once.
- `ticket.created`, `ticket.updated`, `message.created`: `{"type", "ticket": {number, subject,
  channel, status_category, priority, department, assignee, version}, "actor"?, "message"?: {id,
  internal, author}}`, for tickets this connection may see (internal-note events reach agents
  only). The ticket is a summary: read `GET /api/v1/tickets/{number}` for the rest.
- `attachment.created`, shaped the same: a file a customer sent through an IM source has been
  fetched and attached to `message` (read the ticket's messages for it).
- `chat.typing`, `chat.read`, `chat.ended` on a live chat's ticket, shaped the same (`actor`:
  who typed, read or ended it).

A chat visitor opens `/api/v1/chat/stream?session=ID&token=T` instead (no cookie, any origin):
the same messages, for that chat's ticket only and never its internal notes.
- `{"type": "notification.created", "notification": {…}}`: one of the agent's own in-app
  notifications (shaped like the items of `GET /api/v1/notifications`), on that agent's
  connections only, whichever node made it.
- `{"type": "presence", "ticket": N, "people": [{id, name, state}]}`: who is viewing or
  replying to ticket N, sent to agents who may see it whenever that changes.
- `{"type": "pong"}` for a ping; `{"type": "error", "message"}` for a message it cannot use.

**From the client** (schema `StreamClientMessage`):

- `{"type": "presence", "ticket": N, "state": "viewing" | "replying" | "left"}`.
- `{"type": "work", "ticket": N, "ms": M}`: a handle-time heartbeat, the same as
  `POST /api/v1/tickets/{N}/work-time` (staff; an error message when refused).
- `{"type": "ping"}`.

The connection is closed when the session or token stops being valid (signing out, a password
change, deactivation) and when the server stops; clients reconnect and read again what they
show.)"},
           {"security", json::array{json::object{{"bearer", json::array{"read"}}},
                                    json::object{{"session", json::array{}}}}},
           {"responses",
            json::object{
                {"101", json::object{{"description",
                                      "Switching Protocols: the WebSocket is "
                                      "open."}}},
                {"401", json::object{{"$ref", "#/components/responses/Unauthenticated"}}},
                {"403", json::object{{"$ref", "#/components/responses/PermissionDenied"}}}}}}}};
}

void define_common_schemas(Router& router) {
  router.define_schema(
      "ErrorDetail",
      object(
          {{"code",
            enum_of({"invalid_argument", "unauthenticated", "permission_denied", "not_found",
                     "method_not_allowed", "conflict", "precondition_failed", "payload_too_large",
                     "unsupported_media_type", "rate_limited", "unavailable", "internal",
                     "request_header_fields_too_large", "bad_gateway", "gateway_timeout"})},
           {"message", string().describe("For people; may change between versions.")},
           {"field", string().describe("The input at fault, when there is one: a field, "
                                       "`items[2].name`, a query parameter.")}})
          .require({"code", "message"}));
  router.define_schema("Error", object({{"error", ref("ErrorDetail")}})
                                    .require_all()
                                    .describe("Every error answer (4xx, 5xx)."));
  router.define_schema(
      "Notification", kNotificationShape.schema().describe("An in-app notification for an agent."));
  auto stream_ticket = object({{"number", integer()},
                               {"subject", string()},
                               {"channel", string()},
                               {"status_category", ref("StatusCategory")},
                               {"priority", ref("Priority")},
                               {"department", nullable(integer())},
                               {"assignee", nullable(integer())},
                               {"version", integer()}})
                           .require_all();
  router.define_schema(
      "StreamServerMessage",
      one_of({object({{"type", const_of("hello")}, {"user", integer()}}).require_all(),
              object({{"type",
                       enum_of({"ticket.created", "ticket.updated", "message.created",
                                "attachment.created", "chat.typing", "chat.read", "chat.ended"})},
                      {"ticket", stream_ticket},
                      {"actor", integer()},
                      {"message", object({{"id", integer()},
                                          {"internal", boolean()},
                                          {"author", nullable(integer())}})
                                      .require_all()}})
                  .require({"type", "ticket"}),
              object({{"type", const_of("notification.created")},
                      {"notification", ref("Notification")}})
                  .require_all(),
              object({{"type", const_of("presence")},
                      {"ticket", integer()},
                      {"people", array_of(object({{"id", integer()},
                                                  {"name", string()},
                                                  {"state", enum_of({"viewing", "replying"})}})
                                              .require_all())}})
                  .require_all(),
              object({{"type", const_of("pong")}}).require_all(),
              object({{"type", const_of("error")}, {"message", string()}}).require_all()})
          .describe("A message the live stream sends (see GET /api/v1/stream)."));
  router.define_schema(
      "StreamClientMessage",
      one_of({object({{"type", const_of("presence")},
                      {"ticket", integer()},
                      {"state", enum_of({"viewing", "replying", "left"})}})
                  .require_all(),
              object({{"type", const_of("work")}, {"ticket", integer()}, {"ms", integer()}})
                  .require_all(),
              object({{"type", const_of("ping")}}).require_all()})
          .describe("A message a client sends on the live stream."));
  router.define_schema("StatusCategory",
                       enum_of({"new", "open", "pending", "on_hold", "solved", "closed"}));
  router.define_schema("Priority", enum_of({"low", "normal", "high", "urgent"}));
}

}  // namespace gongdan::api
