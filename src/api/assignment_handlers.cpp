// Automatic assignment per department.
#include <charconv>

#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"

namespace gongdan::api {
namespace {

Result<std::int64_t> department_param(const Request& request) {
  auto text = request.param("id");
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0)
    return fail(ErrorCode::kNotFound, "no such department");
  return id;
}

json::object assignment_json(const services::AssignmentSettings& s) {
  return json::object{
      {"mode", assignment_mode_name(s.mode)},
      {"max_open_per_agent",
       s.max_open_per_agent ? json::value(*s.max_open_per_agent) : json::value(nullptr)}};
}

Result<services::AssignmentSettings> read_assignment(const Request& request) {
  GONGDAN_ASSIGN(auto body, parse_object(request.body, {"mode", "max_open_per_agent"}));
  GONGDAN_ASSIGN(auto mode_name, required_string(body, "mode", 40));
  services::AssignmentSettings s;
  auto mode = parse_assignment_mode(mode_name);
  if (!mode)
    return fail(ErrorCode::kInvalidArgument, "must be manual, round_robin or least_loaded", "mode");
  s.mode = *mode;
  if (auto it = body.find("max_open_per_agent"); it != body.end() && !it->value().is_null()) {
    if (!it->value().is_int64())
      return fail(ErrorCode::kInvalidArgument, "must be a whole number or null",
                  "max_open_per_agent");
    s.max_open_per_agent = it->value().as_int64();
  }
  return s;
}

}  // namespace

void add_assignment_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/departments/{id}/assignment", Access::kSignedIn, "settings",
             "How new tickets of a department are assigned", [&ctx](Request& r) {
               auto id = department_param(r);
               if (!id) return error_response(id.error());
               auto s = ctx.assignment.settings(r.who(), *id);
               if (!s) return error_response(s.error());
               return json_response(200, assignment_json(*s));
             });
  router.add("PUT", "/api/v1/departments/{id}/assignment", Access::kSignedIn, "settings",
             "Set manual, round_robin or least_loaded assignment with a per-agent cap (admins)",
             [&ctx](Request& r) {
               auto id = department_param(r);
               if (!id) return error_response(id.error());
               auto in = read_assignment(r);
               if (!in) return error_response(in.error());
               auto s = ctx.assignment.set_settings(r.who(), *id, *in);
               if (!s) return error_response(s.error());
               return json_response(200, assignment_json(*s));
             });
}

}  // namespace gongdan::api
