// /api/v1/tickets: create, read, change, list, bulk change, and the views with their counts.
#include <array>
#include <charconv>

#include "api/router.hpp"
#include "api/ticket_body.hpp"
#include "api/ticket_handlers_common.hpp"
#include "util/text.hpp"

namespace gongdan::api {

Result<std::int64_t> ticket_number(const Request& request) {
  return path_id(request, "number", "ticket");
}

Result<People> people_for(ApiContext& ctx, const std::vector<Ticket>& tickets,
                          const std::vector<std::int64_t>& more) {
  std::vector<std::int64_t> ids = more;
  for (const auto& t : tickets) {
    ids.push_back(t.requester_id);
    if (t.assignee_id) ids.push_back(*t.assignee_id);
  }
  return ctx.users.people(ids);
}

Response ticket_response(ApiContext& ctx, const services::Principal& who, const Ticket& ticket,
                         unsigned status, const People* known,
                         const std::optional<ImportOrigin>& origin) {
  auto catalog = ctx.directory.catalog();
  if (!catalog) return error_response(catalog.error());
  People read;
  if (!known) {
    auto people = people_for(ctx, {ticket});
    if (!people) return error_response(people.error());
    read = std::move(*people);
    known = &read;
  }
  auto body = ticket_json_for(who, ticket, **catalog, *known, ctx.clock->now_ms());
  if (origin) body["imported_from"] = json::object{{"source", origin->source}, {"id", origin->id}};
  auto r = json_response(status, std::move(body));
  r.set_header("ETag", ticket_etag(ticket));
  return r;
}

namespace {

using namespace schema;

Schema new_ticket_schema() {
  auto id = nullable(integer().minimum(1));
  return object({{"subject", string().max_length(2000)},
                 {"body", string().max_length(1 << 20).describe("Plain text.")},
                 {"html", string().max_length(1 << 20).describe(
                              "HTML, sanitised on the server; without `body` the text is "
                              "derived from it.")},
                 {"requester",
                  nullable(object({{"email", string().max_length(254)},
                                   {"name", string().max_length(200)}})
                               .require({"email"}))
                      .describe("Agents: who asked (a new email makes the contact). Customers "
                                "leave it out.")},
                 {"department", id},
                 {"assignee", id},
                 {"status", id},
                 {"priority", ref("Priority")},
                 {"type", ref("TicketType")},
                 {"tags", array_of(string())},
                 {"custom_fields", map_of(any())},
                 {"channel", string().max_length(32)},
                 {"attachments", array_of(integer().minimum(1))
                                     .max_items(100)
                                     .describe("Ids from POST /api/v1/attachments.")}})
      .require({"subject"});
}

RouteDoc create_doc() {
  return doc("createTicket")
      .describe(
          "A ticket with its first message, as one transaction. A new requester email "
          "creates the contact (and joins the organization whose domain matches). "
          "Customers create their own tickets (no requester, assignee or status). "
          "`multipart/form-data` takes the same object as a `json` part, with file parts "
          "attached to the first message.")
      .body(ref("NewTicket"))
      .body(object({{"json", string().describe("The JSON object above.")},
                    {"file", binary().describe("Any number of file parts.")}})
                .open()
                .require({"json"}),
            "multipart/form-data")
      .header("Idempotency-Key", string().min_length(1).max_length(200),
              "A retry with the same key answers the first ticket (200) instead of making "
              "another.")
      .returns(201, ref("Ticket"), "The new ticket.")
      .with_headers({"ETag", "Location"})
      .returns(200, ref("Ticket"), "The ticket made by an earlier request with this key.")
      .with_headers({"ETag", "Location", "Idempotent-Replayed"});
}

Result<services::NewTicket> read_create(ApiContext& ctx, Request& request) {
  std::vector<std::int64_t> uploaded;
  GONGDAN_ASSIGN(auto multipart, multipart_json(ctx, request, uploaded));
  GONGDAN_ASSIGN(auto body, parse_object(multipart.value_or(request.body),
                                         {"subject", "body", "html", "requester", "department",
                                          "assignee", "status", "priority", "type", "tags",
                                          "custom_fields", "channel", "attachments"}));
  GONGDAN_ASSIGN(auto ticket, read_new_ticket(body));
  ticket.attachment_ids.insert(ticket.attachment_ids.end(), uploaded.begin(), uploaded.end());
  if (auto key = request.header("idempotency-key")) {
    if (key->empty() || key->size() > 200)
      return fail(ErrorCode::kInvalidArgument, "must be 1 to 200 characters", "Idempotency-Key");
    ticket.idempotency_key = std::string(*key);
  }
  if (request.who().via == services::CredentialKind::kSession && ticket.channel == "api")
    ticket.channel = request.who().is_agent() ? "web" : "portal";
  return ticket;
}

Response created_response(ApiContext& ctx, const services::Principal& who,
                          const Result<services::CreateResult>& created) {
  if (!created) return error_response(created.error());
  auto r = ticket_response(ctx, who, created->ticket, created->replayed ? 200 : 201,
                           created->people.empty() ? nullptr : &created->people);
  r.set_header("Location", "/api/v1/tickets/" + std::to_string(created->ticket.number));
  if (created->replayed) r.set_header("Idempotent-Replayed", "true");
  return r;
}

Response create(ApiContext& ctx, Request& request) {
  auto ticket = read_create(ctx, request);
  if (!ticket) return error_response(ticket.error());
  return created_response(ctx, request.who(),
                          ctx.tickets.create(request.who(), std::move(*ticket)));
}

// The same, answering after the commit from the I/O thread, so no thread waits for the writer.
void create_deferred(ApiContext& ctx, const std::shared_ptr<Request>& request, const Reply& reply) {
  auto ticket = read_create(ctx, *request);
  if (!ticket) return reply.respond(error_response(ticket.error()));
  ctx.tickets.create_async(request->who(), std::move(*ticket),
                           [&ctx, request, reply](Result<services::CreateResult> created) {
                             reply.post([&ctx, request, reply, created = std::move(created)] {
                               reply.respond(created_response(ctx, request->who(), created));
                             });
                           });
}

Result<std::optional<std::int64_t>> if_match(const Request& request) {
  auto header = request.header("if-match");
  if (!header) return std::optional<std::int64_t>{};
  std::string_view v = *header;
  if (v.starts_with("W/")) v.remove_prefix(2);
  if (v.size() < 4 || v.front() != '"' || v.back() != '"' || v[1] != 'v')
    return fail(ErrorCode::kPreconditionFailed, "If-Match must be an ETag of this ticket");
  std::int64_t version = 0;
  auto inner = v.substr(2, v.size() - 3);
  auto [p, ec] = std::from_chars(inner.data(), inner.data() + inner.size(), version);
  if (ec != std::errc() || p != inner.data() + inner.size())
    return fail(ErrorCode::kPreconditionFailed, "If-Match must be an ETag of this ticket");
  return std::optional<std::int64_t>(version);
}

constexpr std::array<std::string_view, 13> kChangeFields = {
    "subject",         "status", "priority", "type",        "department",    "assignee",
    "organization",    "tags",   "add_tags", "remove_tags", "custom_fields", "add_followers",
    "remove_followers"};

Response update(ApiContext& ctx, Request& request) {
  auto number = ticket_number(request);
  if (!number) return error_response(number.error());
  auto body = parse_object(request.body, kChangeFields);
  if (!body) return error_response(body.error());
  auto changes = read_ticket_changes(*body);
  if (!changes) return error_response(changes.error());
  auto version = if_match(request);
  if (!version) return error_response(version.error());
  auto updated = ctx.tickets.update(request.who(), *number, *changes, *version);
  if (!updated) return error_response(updated.error());
  return ticket_response(ctx, request.who(), *updated, 200);
}

Response get(ApiContext& ctx, Request& request) {
  auto number = ticket_number(request);
  if (!number) return error_response(number.error());
  People people;
  auto ticket = ctx.tickets.get(request.who(), *number, &people);
  if (!ticket) return error_response(ticket.error());
  if (auto none_match = request.header("if-none-match");
      none_match && *none_match == ticket_etag(*ticket)) {
    Response r;
    r.status = 304;
    r.content_type.clear();
    r.set_header("ETag", ticket_etag(*ticket));
    return r;
  }
  if (request.who().user.role == Role::kCustomer)
    return ticket_response(ctx, request.who(), *ticket, 200, &people);
  // Agents see where an imported ticket came from (its old id, to find it by).
  auto origin = ctx.tickets.import_origin(ticket->id);
  if (!origin) return error_response(origin.error());
  return ticket_response(ctx, request.who(), *ticket, 200, &people, *origin);
}

Result<std::vector<std::int64_t>> query_ids(const Request& request, std::string_view key,
                                            bool allow_me) {
  std::vector<std::int64_t> out;
  auto value = request.query_value(key);
  if (!value) return out;
  for (auto part : text::split(*value, ',')) {
    if (part == "none") {
      out.push_back(0);
      continue;
    }
    if (allow_me && part == "me") {
      out.push_back(TicketFilter::kMe);
      continue;
    }
    auto id = text::parse_id(part);
    if (!id)
      return fail(ErrorCode::kInvalidArgument, "must be ids separated by commas", std::string(key));
    out.push_back(*id);
  }
  return out;
}

template <class E>
Result<std::vector<E>> query_names(const Request& request, std::string_view key,
                                   std::optional<E> (*parse)(std::string_view)) {
  std::vector<E> out;
  auto value = request.query_value(key);
  if (!value) return out;
  for (auto part : text::split(*value, ',')) {
    auto parsed = parse(part);
    if (!parsed) return fail(ErrorCode::kInvalidArgument, "has an unknown value", std::string(key));
    out.push_back(*parsed);
  }
  return out;
}

Result<services::TicketListRequest> read_list_request(const Request& request) {
  services::TicketListRequest r;
  auto& f = r.filter;
  GONGDAN_ASSIGN(f.status_ids, query_ids(request, "status", false));
  GONGDAN_ASSIGN(f.categories,
                 query_names<StatusCategory>(request, "status_category", parse_category));
  GONGDAN_ASSIGN(f.departments, query_ids(request, "department", false));
  GONGDAN_ASSIGN(f.assignees, query_ids(request, "assignee", true));
  GONGDAN_ASSIGN(f.priorities, query_names<Priority>(request, "priority", parse_priority));
  GONGDAN_ASSIGN(f.types, query_names<TicketType>(request, "type", parse_type));
  GONGDAN_ASSIGN(auto requesters, query_ids(request, "requester", false));
  if (!requesters.empty()) f.requester_id = requesters.front();
  GONGDAN_ASSIGN(auto orgs, query_ids(request, "organization", false));
  if (!orgs.empty()) f.organization_id = orgs.front();
  if (auto tag = request.query_value("tag")) f.tag = text::to_lower_ascii(*tag);
  if (auto channel = request.query_value("channel")) f.channel = std::string(*channel);
  if (auto external = request.query_value("external_id")) f.external_id = std::string(*external);
  GONGDAN_ASSIGN(f.sla_states, query_names<SlaState>(request, "sla", parse_sla_state));
  // field.<key>=<value>: a custom field's value (each one given must hold).
  for (const auto& [key, value] : request.query) {
    if (!key.starts_with("field.")) continue;
    const auto field = std::string_view(key).substr(6);
    if (!valid_custom_field_key(field))
      return fail(ErrorCode::kInvalidArgument, "must name a custom field's key", key);
    f.custom_fields.push_back({std::string(field), value});
  }
  for (auto [key, target] : {std::pair{"created_from", &f.created_from},
                             {"created_to", &f.created_to},
                             {"updated_from", &f.updated_from},
                             {"updated_to", &f.updated_to}}) {
    if (auto v = request.query_value(key)) {
      GONGDAN_ASSIGN(*target, parse_iso_time(*v, key));
    }
  }
  if (auto view = request.query_value("view")) {
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(view->data(), view->data() + view->size(), id);
    if (ec == std::errc() && p == view->data() + view->size())
      r.view_id = id;
    else
      r.builtin_view = std::string(*view);
  }
  auto sort = parse_ticket_sort(request.query_value("sort").value_or(""));
  if (!sort)
    return fail(ErrorCode::kInvalidArgument,
                "sort by -updated_at, updated_at, -created_at, created_at or -priority", "sort");
  r.sort = *sort;
  GONGDAN_ASSIGN(r.limit, page_limit(request, r.limit));
  if (auto cursor = request.query_value("cursor"); cursor && !cursor->empty()) {
    GONGDAN_ASSIGN(auto decoded, decode_ticket_cursor(*cursor));
    r.after = TicketCursor{decoded.first, decoded.second};
  }
  return r;
}

Response list(ApiContext& ctx, Request& request) {
  auto list_request = read_list_request(request);
  if (!list_request) return error_response(list_request.error());
  auto page = ctx.tickets.list(request.who(), std::move(*list_request));
  if (!page) return error_response(page.error());
  auto catalog = ctx.directory.catalog();
  if (!catalog) return error_response(catalog.error());
  auto people = people_for(ctx, page->items);
  if (!people) return error_response(people.error());
  json::array items;
  const Millis now = ctx.clock->now_ms();
  for (const auto& t : page->items)
    items.push_back(ticket_json_for(request.who(), t, **catalog, *people, now));
  json::value next = nullptr;
  if (page->next) next = json::string(encode_ticket_cursor(page->next->key, page->next->id));
  return json_response(200, json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

Response bulk(ApiContext& ctx, Request& request) {
  auto body = parse_object(request.body, {"numbers", "changes"});
  if (!body) return error_response(body.error());
  auto numbers = id_array(*body, "numbers");
  if (!numbers) return error_response(numbers.error());
  auto it = body->find("changes");
  if (it == body->end() || !it->value().is_object())
    return error_response({ErrorCode::kInvalidArgument, "must be an object of changes", "changes"});
  for (const auto& e : it->value().as_object()) {
    bool known = false;
    for (auto k : kChangeFields) known = known || e.key() == k;
    if (!known)
      return error_response(
          {ErrorCode::kInvalidArgument, "unknown field", "changes." + std::string(e.key())});
  }
  auto changes = read_ticket_changes(it->value().as_object());
  if (!changes) return error_response(changes.error());
  auto results = ctx.tickets.bulk_update(request.who(), *numbers, *changes);
  if (!results) return error_response(results.error());
  json::array items;
  for (const auto& item : *results) {
    json::object o{{"number", item.number}, {"ok", item.ticket.has_value()}};
    if (item.error)
      o["error"] = json::object{{"code", error_code_name(item.error->code)},
                                {"message", item.error->message},
                                {"field", item.error->field}};
    else
      o["version"] = item.ticket->version;
    items.push_back(std::move(o));
  }
  return json_response(200, json::object{{"items", std::move(items)}});
}

RouteDoc list_doc() {
  auto d = doc("listTickets")
               .describe(
                   "Tickets the caller may see, a page at a time by key (never by "
                   "offset). Filters combine; a list filter takes values separated by "
                   "commas.")
               .query("status", string(), "Status ids.")
               .query("status_category", string(),
                      "Categories: new, open, pending, on_hold, solved, closed.")
               .query("department", string(), "Department ids, or `none`.")
               .query("assignee", string(), "Agent ids, `me` or `none`.")
               .query("requester", string(), "A requester's id.")
               .query("organization", string(), "An organization's id.")
               .query("priority", string(), "Priorities: low, normal, high, urgent.")
               .query("type", string(), "Types: question, incident, problem, task.")
               .query("tag", string(), "One tag.")
               .query("sla", string(),
                      "SLA states: none (no policy or no target left), paused (pending or on "
                      "hold), breached (a target overdue), warning (the soonest target within "
                      "an hour), ok.")
               .query("field.{key}", string(),
                      "A custom field's value, e.g. `field.model=x100` (one parameter per "
                      "field; a multi-select matches when it holds the value; a checkbox takes "
                      "`true` or `false`).")
               .query("channel", string(), "One channel (web, email, api, …).")
               .query("external_id", string(),
                      "The id a ticket had in the help desk it was imported from "
                      "(`gongdan import`).");
  for (const char* name : {"created_from", "created_to", "updated_from", "updated_to"})
    d.query(name, string(), "`2026-01-31` or `2026-01-31T08:00:00Z` (UTC).");
  return d
      .query("view", string(),
             "`my_open`, `unassigned`, `all_open`, `pending`, `recently_solved` or a saved "
             "view's id. The other filters given beside it narrow the view.")
      .query("sort",
             enum_of({"-updated_at", "updated_at", "-created_at", "created_at", "-priority"}),
             "Order (default `-updated_at`).")
      .paged()
      .errors({404})
      .returns(200, page_of(ref("Ticket")));
}

RouteDoc bulk_doc() {
  return doc("bulkUpdateTickets")
      .describe(
          "The same change to several tickets, each as its own write; a ticket that "
          "cannot be changed (or seen) gets its error in its item.")
      .body(object({{"numbers", array_of(integer().minimum(1)).max_items(100)},
                    {"changes", ticket_changes_schema()}})
                .require_all())
      .returns(200, items_of(object({{"number", integer()},
                                     {"ok", boolean()},
                                     {"version", integer()},
                                     {"error", ref("ErrorDetail")}})
                                 .require({"number", "ok"})));
}

RouteDoc views_doc() {
  return doc("listViews")
      .describe(
          "Built-in views and the saved views the caller may use, with their counts "
          "(agents).")
      .returns(200, items_of(object({{"id", string().describe("A built-in view's name or a saved "
                                                              "view's id.")},
                                     {"name", string()},
                                     {"builtin", boolean()},
                                     {"count", integer()},
                                     {"filters", map_of(any()).describe("A saved view's filters.")},
                                     {"sort", string().describe("A saved view's order.")},
                                     {"columns", array_of(string()).describe(
                                                     "A saved view's inbox columns in order "
                                                     "(views resource); empty: the default.")}})
                                 .require({"id", "name", "builtin", "count"})));
}

Response views(ApiContext& ctx, Request& request) {
  auto views = ctx.tickets.views(request.who());
  if (!views) return error_response(views.error());
  json::array items;
  for (const auto& v : *views) {
    json::object o{{"id", v.id}, {"name", v.name}, {"builtin", v.builtin}, {"count", v.count}};
    if (!v.builtin) {
      boost::system::error_code ec;
      auto filters = json::parse(v.filter_json, ec);
      o["filters"] = ec ? json::value(json::object{}) : filters;
      o["sort"] = v.sort;
      o["columns"] = json::array(v.columns.begin(), v.columns.end());
    }
    items.push_back(std::move(o));
  }
  return json_response(200, json::object{{"items", std::move(items)}});
}

}  // namespace

void add_ticket_routes(Router& router, ApiContext& ctx) {
  router.define_schema("NewTicket", new_ticket_schema());
  router.add("POST", "/api/v1/tickets", Access::kSignedIn, "tickets",
             "Create a ticket with its first message (Idempotency-Key honoured)", create_doc(),
             [&ctx](Request& r) { return create(ctx, r); });
  router.defer("POST", "/api/v1/tickets",
               [&ctx](std::shared_ptr<Request> r, Reply reply) { create_deferred(ctx, r, reply); });
  router.add("GET", "/api/v1/tickets", Access::kSignedIn, "tickets",
             "List tickets with filters, sort and cursor pagination", list_doc(),
             [&ctx](Request& r) { return list(ctx, r); });
  router.add("GET", "/api/v1/tickets/{number}", Access::kSignedIn, "tickets",
             "Read a ticket (ETag)",
             doc("getTicket")
                 .header("If-None-Match", string(), "The ETag of the copy the caller has.")
                 .returns(200, ref("Ticket"))
                 .with_headers({"ETag"})
                 .returns_nothing(304)
                 .with_headers({"ETag"}),
             [&ctx](Request& r) { return get(ctx, r); });
  router.add("PATCH", "/api/v1/tickets/{number}", Access::kSignedIn, "tickets",
             "Change a ticket (If-Match)",
             doc("updateTicket")
                 .describe("Customers may only set a status of the solved category; light "
                           "agents may change nothing.")
                 .body(ticket_changes_schema())
                 .header("If-Match", string(),
                         "The ETag the change is based on: a stale one is answered 412.")
                 .returns(200, ref("Ticket"))
                 .with_headers({"ETag"})
                 .errors({409, 412}),
             [&ctx](Request& r) { return update(ctx, r); });
  router.add("POST", "/api/v1/tickets/bulk", Access::kSignedIn, "tickets",
             "Change up to 100 tickets at once", bulk_doc(),
             [&ctx](Request& r) { return bulk(ctx, r); });
  router.add("GET", "/api/v1/views", Access::kSignedIn, "views",
             "Built-in and saved views with their ticket counts", views_doc(),
             [&ctx](Request& r) { return views(ctx, r); });
}

}  // namespace gongdan::api
