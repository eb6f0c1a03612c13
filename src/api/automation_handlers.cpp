// Time-based automations (admins): conditions, a delay after an anchor, and actions.
#include <charconv>

#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "api/rule_body.hpp"

namespace gongdan::api {
namespace {

Result<std::int64_t> automation_id(const Request& request) {
  auto text = request.param("id");
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0)
    return fail(ErrorCode::kNotFound, "no such automation");
  return id;
}

json::object automation_json(const store::AutomationRow& a) {
  boost::system::error_code ec;
  json::value def = json::parse(a.definition, ec);
  json::object out{{"id", a.id},
                   {"name", a.name},
                   {"position", a.position},
                   {"active", a.active},
                   {"conditions", nullptr},
                   {"after", nullptr},
                   {"actions", nullptr},
                   {"created_at", iso_time(a.created_at)},
                   {"updated_at", iso_time(a.updated_at)}};
  if (!ec && def.is_object())
    for (auto key : {"conditions", "after", "actions"})
      if (auto* v = def.as_object().if_contains(key)) out[key] = *v;
  return out;
}

}  // namespace

void add_automation_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/automations", Access::kSignedIn, "automation",
             "Time-based automations in order (admins)", [&ctx](Request& r) {
               auto rows = ctx.automations.list(r.who());
               if (!rows) return error_response(rows.error());
               json::array items;
               for (const auto& a : *rows) items.push_back(automation_json(a));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  router.add("POST", "/api/v1/automations", Access::kSignedIn, "automation",
             "Add a time-based automation; errors name the part that is wrong", [&ctx](Request& r) {
               auto in = read_rule_input(r, true);
               if (!in) return error_response(in.error());
               auto row = ctx.automations.create(r.who(), *in);
               if (!row) return error_response(row.error());
               return json_response(201, automation_json(*row));
             });
  router.add("GET", "/api/v1/automations/{id}", Access::kSignedIn, "automation", "One automation",
             [&ctx](Request& r) {
               auto id = automation_id(r);
               if (!id) return error_response(id.error());
               auto row = ctx.automations.get(r.who(), *id);
               if (!row) return error_response(row.error());
               return json_response(200, automation_json(*row));
             });
  router.add("PATCH", "/api/v1/automations/{id}", Access::kSignedIn, "automation",
             "Change an automation", [&ctx](Request& r) {
               auto id = automation_id(r);
               if (!id) return error_response(id.error());
               auto in = read_rule_input(r, true);
               if (!in) return error_response(in.error());
               auto row = ctx.automations.update(r.who(), *id, *in);
               if (!row) return error_response(row.error());
               return json_response(200, automation_json(*row));
             });
  router.add("DELETE", "/api/v1/automations/{id}", Access::kSignedIn, "automation",
             "Remove an automation", [&ctx](Request& r) {
               auto id = automation_id(r);
               if (!id) return error_response(id.error());
               if (auto done = ctx.automations.remove(r.who(), *id); !done)
                 return error_response(done.error());
               return no_content();
             });
}

}  // namespace gongdan::api
