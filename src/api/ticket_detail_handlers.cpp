// /api/v1/tickets/{number}/…: messages, history, merge, split and links.
#include "api/router.hpp"
#include "api/ticket_body.hpp"
#include "api/ticket_handlers_common.hpp"
#include "channels/email/mail_intake.hpp"
#include "util/text.hpp"

namespace gongdan::api {

Result<json::array> messages_json(ApiContext& ctx, const services::Principal& who,
                                  const std::vector<Message>& messages,
                                  std::int64_t ticket_number) {
  std::vector<std::int64_t> authors, ids;
  for (const auto& m : messages) {
    if (m.author_id) authors.push_back(*m.author_id);
    ids.push_back(m.id);
  }
  GONGDAN_ASSIGN(auto read, ctx.users.people(authors));
  const auto people = seen_by(who, std::move(read));
  GONGDAN_ASSIGN(auto files, ctx.attachments.of_messages(ids));
  GONGDAN_ASSIGN(auto deliveries, ctx.outbox.deliveries(ids));
  GONGDAN_ASSIGN(auto mail_flags, ctx.mail.service().mail_flags(ids));
  json::array items;
  for (const auto& m : messages) {
    auto o = message_json(m, ticket_number, people);
    json::array list;
    for (const auto& a : files[m.id]) list.push_back(kAttachmentShape.write(a));
    o["attachments"] = std::move(list);
    // A reply that also went out by mail: where that stands (queued, sent, failed).
    if (auto d = deliveries.find(m.id); d != deliveries.end())
      o["delivery"] = json::object{{"status", d->second.status},
                                   {"to", d->second.to_address},
                                   {"cc", address_list(d->second.cc)},
                                   {"attempts", d->second.attempts},
                                   {"last_error", d->second.last_error},
                                   {"message_id", d->second.message_id},
                                   {"sent_at", iso_time_or_null(d->second.sent_at)}};
    else
      o["delivery"] = nullptr;
    // What the mail channel noticed about a message that came by mail ("unverified sender",
    // the loop guard's verdict, ...); empty for everything else.
    json::array flags;
    if (auto f = mail_flags.find(m.id); f != mail_flags.end())
      for (auto part : text::split(f->second, ';'))
        if (auto t = text::trim(part); !t.empty()) flags.emplace_back(t);
    o["mail_flags"] = std::move(flags);
    items.push_back(std::move(o));
  }
  return items;
}

namespace {

Result<Response> add_message(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto number, ticket_number(request));
  std::vector<std::int64_t> uploaded;
  GONGDAN_ASSIGN(auto multipart, multipart_json(ctx, request, uploaded));
  GONGDAN_ASSIGN(auto body,
                 parse_object(multipart.value_or(request.body),
                              {"body", "html", "internal", "attachments", "status", "cc", "bcc"}));
  services::NewMessage m;
  GONGDAN_ASSIGN(auto text, optional_string(body, "body", 1 << 20));
  m.body = text.value_or("");
  GONGDAN_ASSIGN(auto html, optional_string(body, "html", 1 << 20));
  m.html = html.value_or("");
  sanitize_message_html(m.body, m.html);
  GONGDAN_ASSIGN(auto internal, optional_bool(body, "internal"));
  m.internal = internal.value_or(false);
  GONGDAN_ASSIGN(m.attachment_ids, id_array(body, "attachments"));
  m.attachment_ids.insert(m.attachment_ids.end(), uploaded.begin(), uploaded.end());
  GONGDAN_ASSIGN(m.status_id, optional_id(body, "status"));
  GONGDAN_ASSIGN(auto cc, optional_string_list(body, "cc"));
  m.copies.cc = cc.value_or(std::vector<std::string>{});
  GONGDAN_ASSIGN(auto bcc, optional_string_list(body, "bcc"));
  m.copies.bcc = bcc.value_or(std::vector<std::string>{});
  if (request.who().via == services::CredentialKind::kSession)
    m.channel = request.who().is_agent() ? "web" : "portal";
  GONGDAN_ASSIGN(auto added, ctx.tickets.add_message(request.who(), number, std::move(m)));
  GONGDAN_ASSIGN(auto items, messages_json(ctx, request.who(), {added}, number));
  return json_response(201, items.front());
}

// Who follows the ticket: the people a customer copied, the agent's Cc, agents who watch it.
Result<Response> list_followers(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto number, ticket_number(request));
  GONGDAN_ASSIGN(auto ids, ctx.tickets.followers(request.who(), number));
  GONGDAN_ASSIGN(auto read, ctx.users.people(ids));
  const auto people = seen_by(request.who(), std::move(read));
  return json_response(200,
                       items_answer(ids, [&](std::int64_t id) { return person_json(id, people); }));
}

Result<Response> list_messages(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto number, ticket_number(request));
  GONGDAN_ASSIGN(auto page, page_request(request));
  GONGDAN_ASSIGN(auto messages,
                 ctx.tickets.messages(request.who(), number, page.after, page.limit + 1));
  auto next = trim_page(messages, page.limit);
  GONGDAN_ASSIGN(auto items, messages_json(ctx, request.who(), messages, number));
  return json_response(200, json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

Result<Response> history(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto number, ticket_number(request));
  GONGDAN_ASSIGN(auto page, page_request(request));
  GONGDAN_ASSIGN(auto events,
                 ctx.tickets.history(request.who(), number, page.after, page.limit + 1));
  auto next = trim_page(events, page.limit);
  std::vector<std::int64_t> actors;
  for (const auto& e : events)
    if (e.actor_id) actors.push_back(*e.actor_id);
  GONGDAN_ASSIGN(auto people, ctx.users.people(actors));
  json::array items;
  const auto shown = seen_by(request.who(), std::move(people));
  for (const auto& e : events) items.push_back(event_json(e, shown));
  return json_response(200, json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

Result<std::int64_t> required_id(const json::object& body, std::string_view key) {
  GONGDAN_ASSIGN(auto id, optional_id(body, key));
  if (!id) return fail(ErrorCode::kInvalidArgument, "is required", std::string(key));
  return *id;
}

// A command on the ticket in the path whose body is one id, `key` (merge into, split off), and
// whose answer is the ticket it leaves.
template <class Command>
Result<Response> id_command(ApiContext& ctx, Request& request, std::string_view key,
                            unsigned status, Command command) {
  GONGDAN_ASSIGN(auto number, ticket_number(request));
  GONGDAN_ASSIGN(auto body, parse_object(request.body, {key}));
  GONGDAN_ASSIGN(auto id, required_id(body, key));
  GONGDAN_ASSIGN(auto ticket, command(request.who(), number, id));
  return ticket_response(ctx, request.who(), ticket, status);
}

Result<Response> merge(ApiContext& ctx, Request& request) {
  return id_command(ctx, request, "into", 200, [&](const auto& who, auto number, auto into) {
    return ctx.tickets.merge(who, number, into);
  });
}

Result<Response> split(ApiContext& ctx, Request& request) {
  return id_command(ctx, request, "message_id", 201, [&](const auto& who, auto number, auto id) {
    return ctx.tickets.split(who, number, id);
  });
}

Result<Response> links(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto number, ticket_number(request));
  GONGDAN_ASSIGN(auto links, ctx.tickets.links(request.who(), number));
  json::array items;
  for (const auto& l : links)
    items.push_back(json::object{{"ticket", l.other_number}, {"kind", l.kind}});
  return json_response(200, json::object{{"items", std::move(items)}});
}

Result<Response> add_link(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto number, ticket_number(request));
  GONGDAN_ASSIGN(auto body, parse_object(request.body, {"ticket", "kind"}));
  GONGDAN_ASSIGN(auto other, required_id(body, "ticket"));
  GONGDAN_ASSIGN(auto kind_name, required_string(body, "kind", 32));
  auto kind = parse_link_kind(kind_name);
  if (!kind)
    return fail(ErrorCode::kInvalidArgument, "must be related, parent, child or duplicate_of",
                "kind");
  GONGDAN_TRY(ctx.tickets.link(request.who(), number, other, *kind));
  return links(ctx, request);
}

Result<Response> remove_link(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto number, ticket_number(request));
  auto other = text::parse_integer(request.param("other"));
  if (!other) return fail(ErrorCode::kNotFound, "no such link");
  GONGDAN_TRY(ctx.tickets.unlink(request.who(), number, *other));
  return no_content();
}

using namespace schema;

RouteDoc add_message_doc() {
  return doc("addMessage")
      .describe(
          "A public reply or an internal note; HTML is sanitised on the server (allow-list) "
          "and a message sent as HTML only gets its text derived. Light agents may only "
          "write internal notes; a customer writing to a solved ticket reopens it. "
          "`multipart/form-data` takes the object as a `json` part, with file parts.")
      .body(object(
          {{"body", string().max_length(1 << 20)},
           {"html", string().max_length(1 << 20)},
           {"internal", boolean().describe("An internal note (agents).")},
           {"attachments", array_of(integer().minimum(1)).max_items(100)},
           {"status", nullable(integer().minimum(1)).describe("A status to set with the message.")},
           {"cc", array_of(string().format("email").max_length(254))
                      .max_items(50)
                      .describe("Copies of an agent's public reply (shown to all); "
                                "each becomes a follower of the ticket.")},
           {"bcc", array_of(string().format("email").max_length(254))
                       .max_items(50)
                       .describe("Blind copies of an agent's public reply (this "
                                 "reply only).")}}))
      .body(object({{"json", string()}, {"file", binary()}}).open().require({"json"}),
            "multipart/form-data")
      .returns(201, ref("Message"))
      .errors({409});
}

RouteDoc links_doc(std::string id) {
  return doc(std::move(id))
      .returns(200,
               items_of(object({{"ticket", integer()}, {"kind", ref("LinkKind")}}).require_all()));
}

}  // namespace

void add_ticket_detail_routes(Router& router, ApiContext& ctx) {
  router.define_schema("LinkKind", enum_of({"related", "parent", "child", "duplicate_of"}));
  const std::string base = "/api/v1/tickets/{number}";
  router.add("GET", base + "/messages", Access::kSignedIn, "tickets",
             "Messages of a ticket (internal notes for agents only)",
             doc("listMessages").paged().returns(200, page_of(ref("Message"))),
             [&ctx](Request& r) { return answer(list_messages(ctx, r)); });
  router.add("POST", base + "/messages", Access::kSignedIn, "tickets",
             "Add a public reply or an internal note", add_message_doc(),
             [&ctx](Request& r) { return answer(add_message(ctx, r)); });
  router.add("GET", base + "/followers", Access::kSignedIn, "tickets",
             "Who follows a ticket (and is copied on its replies by mail)",
             doc("listFollowers")
                 .describe("Customers among them get the ticket's replies by mail (Cc).")
                 .returns(200, items_of(ref("Person"))),
             [&ctx](Request& r) { return answer(list_followers(ctx, r)); });
  router.add("GET", base + "/history", Access::kSignedIn, "tickets",
             "Every recorded change of a ticket",
             doc("getTicketHistory").paged().returns(200, page_of(ref("TicketEvent"))),
             [&ctx](Request& r) { return answer(history(ctx, r)); });
  router.add("POST", base + "/merge", Access::kSignedIn, "tickets",
             "Merge this ticket into another",
             doc("mergeTicket")
                 .describe("Messages, history and followers move to the other ticket; this one "
                           "is closed with `merged_into`. The answer is the ticket merged into.")
                 .body(object({{"into", integer().minimum(1)}}).require_all())
                 .returns(200, ref("Ticket"))
                 .errors({409}),
             [&ctx](Request& r) { return answer(merge(ctx, r)); });
  router.add("POST", base + "/split", Access::kSignedIn, "tickets",
             "Move a message into a new ticket",
             doc("splitTicket")
                 .describe("The message moves to a new ticket linked to this one (the answer).")
                 .body(object({{"message_id", integer().minimum(1)}}).require_all())
                 .returns(201, ref("Ticket"))
                 .errors({409}),
             [&ctx](Request& r) { return answer(split(ctx, r)); });
  router.add("GET", base + "/links", Access::kSignedIn, "tickets", "Linked tickets",
             links_doc("listTicketLinks"), [&ctx](Request& r) { return answer(links(ctx, r)); });
  router.add(
      "POST", base + "/links", Access::kSignedIn, "tickets", "Link another ticket",
      links_doc("linkTicket")
          .describe("The other ticket gets the reverse kind (parent ↔ child). The answer "
                    "is this ticket's links.")
          .body(object({{"ticket", integer().minimum(1)}, {"kind", ref("LinkKind")}}).require_all())
          .errors({409}),
      [&ctx](Request& r) { return answer(add_link(ctx, r)); });
  router.add("DELETE", base + "/links/{other}", Access::kSignedIn, "tickets", "Remove a link",
             doc("unlinkTicket").returns_nothing(),
             [&ctx](Request& r) { return answer(remove_link(ctx, r)); });
}

}  // namespace gongdan::api
