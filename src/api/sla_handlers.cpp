// SLA settings: business calendars and SLA policies (admins write; agents read).
#include <charconv>

#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "api/ticket_body.hpp"

namespace gongdan::api {
namespace {

Result<std::int64_t> sla_path_id(const Request& request, const char* what) {
  auto text = request.param("id");
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0)
    return fail(ErrorCode::kNotFound, std::string("no such ") + what);
  return id;
}

json::object calendar_json(const store::CalendarRow& row) {
  boost::system::error_code ec;
  json::value spec = json::parse(row.spec, ec);
  if (ec) spec = json::object{};
  return json::object{{"id", row.id},
                      {"name", row.name},
                      {"spec", std::move(spec)},
                      {"created_at", iso_time(row.created_at)},
                      {"updated_at", iso_time(row.updated_at)}};
}

json::value minutes_or_null(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object policy_json(const store::SlaPolicyRow& p) {
  boost::system::error_code ec;
  json::value conditions = json::parse(p.conditions, ec);
  if (ec) conditions = json::object{};
  return json::object{
      {"id", p.id},
      {"name", p.name},
      {"position", p.position},
      {"calendar", p.calendar_id ? json::value(*p.calendar_id) : json::value(nullptr)},
      {"conditions", std::move(conditions)},
      {"targets",
       json::object{{"first_response_minutes", minutes_or_null(p.first_response_minutes)},
                    {"next_response_minutes", minutes_or_null(p.next_response_minutes)},
                    {"resolution_minutes", minutes_or_null(p.resolution_minutes)}}},
      {"warning_minutes", minutes_or_null(p.warning_minutes)},
      {"active", p.active},
      {"created_at", iso_time(p.created_at)},
      {"updated_at", iso_time(p.updated_at)}};
}

Result<std::optional<std::optional<std::int64_t>>> nullable_minutes(const json::object& o,
                                                                    std::string_view key,
                                                                    const std::string& field) {
  auto it = o.find(key);
  if (it == o.end()) return std::optional<std::optional<std::int64_t>>{};
  if (it->value().is_null())
    return std::optional<std::optional<std::int64_t>>(std::optional<std::int64_t>{});
  if (!it->value().is_int64())
    return fail(ErrorCode::kInvalidArgument, "must be a whole number of minutes or null", field);
  return std::optional<std::optional<std::int64_t>>(it->value().as_int64());
}

Result<services::SlaPolicyInput> read_policy(const Request& request) {
  GONGDAN_ASSIGN(auto body,
                 parse_object(request.body, {"name", "position", "calendar", "conditions",
                                             "targets", "warning_minutes", "active"}));
  services::SlaPolicyInput in;
  GONGDAN_ASSIGN(in.name, optional_string(body, "name", 200));
  if (auto it = body.find("position"); it != body.end()) {
    if (!it->value().is_int64() || it->value().as_int64() < -100000 ||
        it->value().as_int64() > 100000)
      return fail(ErrorCode::kInvalidArgument, "must be a whole number", "position");
    in.position = static_cast<int>(it->value().as_int64());
  }
  GONGDAN_ASSIGN(in.calendar_id, optional_nullable_id(body, "calendar"));
  if (auto it = body.find("conditions"); it != body.end()) {
    if (!it->value().is_object())
      return fail(ErrorCode::kInvalidArgument, "must be an object", "conditions");
    in.conditions = it->value().as_object();
  }
  if (auto it = body.find("targets"); it != body.end()) {
    if (!it->value().is_object())
      return fail(ErrorCode::kInvalidArgument, "must be an object", "targets");
    const auto& t = it->value().as_object();
    for (const auto& entry : t)
      if (entry.key() != "first_response_minutes" && entry.key() != "next_response_minutes" &&
          entry.key() != "resolution_minutes")
        return fail(ErrorCode::kInvalidArgument, "unknown field",
                    "targets." + std::string(entry.key()));
    GONGDAN_ASSIGN(in.first_response_minutes,
                   nullable_minutes(t, "first_response_minutes", "targets.first_response_minutes"));
    GONGDAN_ASSIGN(in.next_response_minutes,
                   nullable_minutes(t, "next_response_minutes", "targets.next_response_minutes"));
    GONGDAN_ASSIGN(in.resolution_minutes,
                   nullable_minutes(t, "resolution_minutes", "targets.resolution_minutes"));
  }
  GONGDAN_ASSIGN(in.warning_minutes, nullable_minutes(body, "warning_minutes", "warning_minutes"));
  GONGDAN_ASSIGN(in.active, optional_bool(body, "active"));
  return in;
}

Result<json::value> read_calendar_body(const Request& request) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 16;
  json::value spec = json::parse(request.body, ec, {}, options);
  if (ec) return fail(ErrorCode::kInvalidArgument, "the body is not valid JSON: " + ec.message());
  if (!spec.is_object()) return fail(ErrorCode::kInvalidArgument, "the body must be a JSON object");
  return spec;
}

}  // namespace

void add_sla_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/calendars", Access::kSignedIn, "sla", "Business calendars",
             [&ctx](Request& r) {
               auto rows = ctx.sla.calendars(r.who());
               if (!rows) return error_response(rows.error());
               json::array items;
               for (const auto& row : *rows) items.push_back(calendar_json(row));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  router.add("POST", "/api/v1/calendars", Access::kSignedIn, "sla",
             "Add a business calendar: time zone, weekly hours, holidays, make-up working days",
             [&ctx](Request& r) {
               auto spec = read_calendar_body(r);
               if (!spec) return error_response(spec.error());
               auto row = ctx.sla.create_calendar(r.who(), *spec);
               if (!row) return error_response(row.error());
               return json_response(201, calendar_json(*row));
             });
  router.add("GET", "/api/v1/calendars/{id}", Access::kSignedIn, "sla", "One business calendar",
             [&ctx](Request& r) {
               auto id = sla_path_id(r, "calendar");
               if (!id) return error_response(id.error());
               auto row = ctx.sla.calendar(r.who(), *id);
               if (!row) return error_response(row.error());
               return json_response(200, calendar_json(*row));
             });
  router.add("PUT", "/api/v1/calendars/{id}", Access::kSignedIn, "sla",
             "Replace a business calendar (the whole definition)", [&ctx](Request& r) {
               auto id = sla_path_id(r, "calendar");
               if (!id) return error_response(id.error());
               auto spec = read_calendar_body(r);
               if (!spec) return error_response(spec.error());
               auto row = ctx.sla.replace_calendar(r.who(), *id, *spec);
               if (!row) return error_response(row.error());
               return json_response(200, calendar_json(*row));
             });
  router.add("DELETE", "/api/v1/calendars/{id}", Access::kSignedIn, "sla",
             "Remove a calendar no policy uses", [&ctx](Request& r) {
               auto id = sla_path_id(r, "calendar");
               if (!id) return error_response(id.error());
               if (auto done = ctx.sla.delete_calendar(r.who(), *id); !done)
                 return error_response(done.error());
               return no_content();
             });
  router.add("GET", "/api/v1/sla-policies", Access::kSignedIn, "sla",
             "SLA policies in the order they are tried", [&ctx](Request& r) {
               auto rows = ctx.sla.policies(r.who());
               if (!rows) return error_response(rows.error());
               json::array items;
               for (const auto& row : *rows) items.push_back(policy_json(row));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  router.add("POST", "/api/v1/sla-policies", Access::kSignedIn, "sla", "Add an SLA policy",
             [&ctx](Request& r) {
               auto in = read_policy(r);
               if (!in) return error_response(in.error());
               auto row = ctx.sla.create_policy(r.who(), *in);
               if (!row) return error_response(row.error());
               return json_response(201, policy_json(*row));
             });
  router.add("GET", "/api/v1/sla-policies/{id}", Access::kSignedIn, "sla", "One SLA policy",
             [&ctx](Request& r) {
               auto id = sla_path_id(r, "SLA policy");
               if (!id) return error_response(id.error());
               auto row = ctx.sla.policy(r.who(), *id);
               if (!row) return error_response(row.error());
               return json_response(200, policy_json(*row));
             });
  router.add("PATCH", "/api/v1/sla-policies/{id}", Access::kSignedIn, "sla", "Change an SLA policy",
             [&ctx](Request& r) {
               auto id = sla_path_id(r, "SLA policy");
               if (!id) return error_response(id.error());
               auto in = read_policy(r);
               if (!in) return error_response(in.error());
               auto row = ctx.sla.update_policy(r.who(), *id, *in);
               if (!row) return error_response(row.error());
               return json_response(200, policy_json(*row));
             });
  router.add("DELETE", "/api/v1/sla-policies/{id}", Access::kSignedIn, "sla",
             "Remove an SLA policy", [&ctx](Request& r) {
               auto id = sla_path_id(r, "SLA policy");
               if (!id) return error_response(id.error());
               if (auto done = ctx.sla.delete_policy(r.who(), *id); !done)
                 return error_response(done.error());
               return no_content();
             });
}

}  // namespace gongdan::api
