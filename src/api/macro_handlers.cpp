// Macros: personal or shared sets of actions plus a reply, applied to a ticket in one step.
#include <charconv>

#include "api/router.hpp"
#include "api/ticket_handlers_common.hpp"

namespace gongdan::api {
namespace {

Result<std::int64_t> macro_id(const Request& request) {
  auto text = request.param("id");
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0)
    return fail(ErrorCode::kNotFound, "no such macro");
  return id;
}

json::object macro_json(const store::MacroRow& m) {
  boost::system::error_code ec;
  json::value actions = json::parse(m.actions, ec);
  if (ec) actions = json::array{};
  return json::object{{"id", m.id},
                      {"name", m.name},
                      {"shared", !m.owner_id.has_value()},
                      {"owner_id", m.owner_id ? json::value(*m.owner_id) : json::value(nullptr)},
                      {"actions", std::move(actions)},
                      {"reply", m.reply},
                      {"reply_internal", m.reply_internal},
                      {"created_at", iso_time(m.created_at)},
                      {"updated_at", iso_time(m.updated_at)}};
}

Result<services::MacroInput> read_macro(const Request& request) {
  GONGDAN_ASSIGN(auto body, parse_object(request.body,
                                         {"name", "actions", "reply", "reply_internal", "shared"}));
  services::MacroInput in;
  GONGDAN_ASSIGN(in.name, optional_string(body, "name", 200));
  GONGDAN_ASSIGN(in.reply, optional_string(body, "reply", 64 * 1024));
  GONGDAN_ASSIGN(in.reply_internal, optional_bool(body, "reply_internal"));
  GONGDAN_ASSIGN(in.shared, optional_bool(body, "shared"));
  if (auto it = body.find("actions"); it != body.end()) {
    if (!it->value().is_array())
      return fail(ErrorCode::kInvalidArgument, "must be a list of actions", "actions");
    in.actions = it->value();
  }
  return in;
}

}  // namespace

void add_macro_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/macros", Access::kSignedIn, "automation", "Shared macros and your own",
             [&ctx](Request& r) {
               auto rows = ctx.macros.list(r.who());
               if (!rows) return error_response(rows.error());
               json::array items;
               for (const auto& m : *rows) items.push_back(macro_json(m));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  router.add("POST", "/api/v1/macros", Access::kSignedIn, "automation",
             "Add a personal macro (or a shared one, admins)", [&ctx](Request& r) {
               auto in = read_macro(r);
               if (!in) return error_response(in.error());
               auto row = ctx.macros.create(r.who(), *in);
               if (!row) return error_response(row.error());
               return json_response(201, macro_json(*row));
             });
  router.add("GET", "/api/v1/macros/{id}", Access::kSignedIn, "automation", "One macro",
             [&ctx](Request& r) {
               auto id = macro_id(r);
               if (!id) return error_response(id.error());
               auto row = ctx.macros.get(r.who(), *id);
               if (!row) return error_response(row.error());
               return json_response(200, macro_json(*row));
             });
  router.add("PATCH", "/api/v1/macros/{id}", Access::kSignedIn, "automation", "Change a macro",
             [&ctx](Request& r) {
               auto id = macro_id(r);
               if (!id) return error_response(id.error());
               auto in = read_macro(r);
               if (!in) return error_response(in.error());
               auto row = ctx.macros.update(r.who(), *id, *in);
               if (!row) return error_response(row.error());
               return json_response(200, macro_json(*row));
             });
  router.add("DELETE", "/api/v1/macros/{id}", Access::kSignedIn, "automation", "Remove a macro",
             [&ctx](Request& r) {
               auto id = macro_id(r);
               if (!id) return error_response(id.error());
               if (auto done = ctx.macros.remove(r.who(), *id); !done)
                 return error_response(done.error());
               return no_content();
             });
  router.add("POST", "/api/v1/tickets/{number}/macros/{id}", Access::kSignedIn, "automation",
             "Apply a macro to a ticket: its changes and reply in one step", [&ctx](Request& r) {
               auto number = ticket_number(r);
               if (!number) return error_response(number.error());
               auto id = macro_id(r);
               if (!id) return error_response(id.error());
               if (!r.body.empty()) {
                 auto body = parse_object(r.body, {});
                 if (!body) return error_response(body.error());
               }
               auto ticket = ctx.macros.apply(r.who(), *number, *id);
               if (!ticket) return error_response(ticket.error());
               return ticket_response(ctx, *ticket, 200);
             });
}

}  // namespace gongdan::api
