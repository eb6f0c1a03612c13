// Triggers (admins): rules run inside every ticket command.
#include <charconv>

#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "api/rule_body.hpp"

namespace gongdan::api {
namespace {

Result<std::int64_t> trigger_id(const Request& request) {
  auto text = request.param("id");
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0)
    return fail(ErrorCode::kNotFound, "no such trigger");
  return id;
}

json::object trigger_json(const store::TriggerRow& t) {
  boost::system::error_code ec;
  json::value def = json::parse(t.definition, ec);
  json::object out{{"id", t.id},
                   {"name", t.name},
                   {"position", t.position},
                   {"active", t.active},
                   {"conditions", nullptr},
                   {"actions", nullptr},
                   {"created_at", iso_time(t.created_at)},
                   {"updated_at", iso_time(t.updated_at)}};
  if (!ec && def.is_object()) {
    if (auto* c = def.as_object().if_contains("conditions")) out["conditions"] = *c;
    if (auto* a = def.as_object().if_contains("actions")) out["actions"] = *a;
  }
  return out;
}

}  // namespace

void add_trigger_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/triggers", Access::kSignedIn, "automation",
             "Triggers in the order they run (admins)", [&ctx](Request& r) {
               auto rows = ctx.triggers.list(r.who());
               if (!rows) return error_response(rows.error());
               json::array items;
               for (const auto& t : *rows) items.push_back(trigger_json(t));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  router.add("POST", "/api/v1/triggers", Access::kSignedIn, "automation",
             "Add a trigger; errors name the part of the rule that is wrong", [&ctx](Request& r) {
               auto in = read_rule_input(r, false);
               if (!in) return error_response(in.error());
               auto row = ctx.triggers.create(r.who(), *in);
               if (!row) return error_response(row.error());
               return json_response(201, trigger_json(*row));
             });
  router.add("GET", "/api/v1/triggers/{id}", Access::kSignedIn, "automation", "One trigger",
             [&ctx](Request& r) {
               auto id = trigger_id(r);
               if (!id) return error_response(id.error());
               auto row = ctx.triggers.get(r.who(), *id);
               if (!row) return error_response(row.error());
               return json_response(200, trigger_json(*row));
             });
  router.add("PATCH", "/api/v1/triggers/{id}", Access::kSignedIn, "automation", "Change a trigger",
             [&ctx](Request& r) {
               auto id = trigger_id(r);
               if (!id) return error_response(id.error());
               auto in = read_rule_input(r, false);
               if (!in) return error_response(in.error());
               auto row = ctx.triggers.update(r.who(), *id, *in);
               if (!row) return error_response(row.error());
               return json_response(200, trigger_json(*row));
             });
  router.add("DELETE", "/api/v1/triggers/{id}", Access::kSignedIn, "automation", "Remove a trigger",
             [&ctx](Request& r) {
               auto id = trigger_id(r);
               if (!id) return error_response(id.error());
               if (auto done = ctx.triggers.remove(r.who(), *id); !done)
                 return error_response(done.error());
               return no_content();
             });
}

}  // namespace gongdan::api
