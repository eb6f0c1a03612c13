// Agents' skills and availability (each department's automatic assignment is the declared
// resource `assignment`).
#include <functional>

#include "api/answer_shape.hpp"
#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "api/ticket_body.hpp"

namespace gongdan::api {
namespace {

// The handler of a route on the agent the path names: `run(request, agent_id)`, or 404 for an id
// that names none.
Handler on_agent(std::function<Response(Request&, std::int64_t)> run) {
  return [run = std::move(run)](Request& r) {
    auto id = path_id(r, "id", "agent");
    if (!id) return error_response(id.error());
    return run(r, *id);
  };
}

using namespace shape;
using services::AgentAvailability;

const AnswerShape<AgentAvailability> kAvailabilityShape{
    integer("agent_id", &AgentAvailability::agent_id),
    computed<AgentAvailability>(
        "status", [](const AgentAvailability& a) { return availability_name(a.status); },
        schema::enum_of({"online", "away", "offline"})),
    integer("calendar", &AgentAvailability::calendar_id)
        .describe("The business calendar of their working hours; null: always."),
    boolean("working_now", &AgentAvailability::working_now),
    boolean("assignable", &AgentAvailability::assignable)
        .describe("Online and inside working hours."),
    computed<AgentAvailability>(
        "updated_at",
        [](const AgentAvailability& a) {
          return a.updated_at ? json::value(iso_time(a.updated_at)) : json::value(nullptr);
        },
        schema::nullable(schema::date_time()))};

schema::Schema availability_change() {
  using namespace schema;
  return object({{"status", enum_of({"online", "away", "offline"})},
                 {"calendar", nullable(integer().minimum(1))}});
}

Result<services::AvailabilityChange> read_availability(const Request& request) {
  GONGDAN_ASSIGN(auto body, parse_object(request.body, {"status", "calendar"}));
  services::AvailabilityChange change;
  GONGDAN_ASSIGN(auto status, optional_string(body, "status", 20));
  if (status) {
    change.status = parse_availability(*status);
    if (!change.status)
      return fail(ErrorCode::kInvalidArgument, "must be online, away or offline", "status");
  }
  GONGDAN_ASSIGN(change.calendar_id, optional_nullable_id(body, "calendar"));
  if (!change.status && !change.calendar_id)
    return fail(ErrorCode::kInvalidArgument, "send status, calendar or both", "status");
  return change;
}

Response skills_response(const Result<std::vector<std::string>>& skills) {
  if (!skills) return error_response(skills.error());
  json::array items;
  for (const auto& s : *skills) items.emplace_back(s);
  return json_response(200, json::object{{"skills", std::move(items)}});
}

Response set_skills(ApiContext& ctx, Request& r, std::int64_t agent_id) {
  auto body = parse_object(r.body, {"skills"});
  if (!body) return error_response(body.error());
  auto list = optional_string_list(*body, "skills");
  if (!list) return error_response(list.error());
  if (!*list) return error_response({ErrorCode::kInvalidArgument, "is required", "skills"});
  return skills_response(ctx.assignment.set_skills(r.who(), agent_id, **list));
}

Response availability_response(const Result<services::AgentAvailability>& a) {
  if (!a) return error_response(a.error());
  return json_response(200, kAvailabilityShape.write(*a));
}

Response set_availability(ApiContext& ctx, Request& r, std::int64_t agent_id) {
  auto change = read_availability(r);
  if (!change) return error_response(change.error());
  return availability_response(ctx.assignment.set_availability(r.who(), agent_id, *change));
}

}  // namespace

void add_assignment_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/agents/{id}/skills", Access::kSignedIn, "agents",
             "An agent's skills for skill-based assignment",
             on_agent([&ctx](Request& r, std::int64_t id) {
               return skills_response(ctx.assignment.skills(r.who(), id));
             }));
  router.add("PUT", "/api/v1/agents/{id}/skills", Access::kSignedIn, "agents",
             "Replace an agent's skills (admins)",
             on_agent([&ctx](Request& r, std::int64_t id) { return set_skills(ctx, r, id); }));
  router.add("GET", "/api/v1/agents/{id}/availability", Access::kSignedIn, "agents",
             "An agent's availability and working hours",
             doc("getAgentAvailability").returns(200, kAvailabilityShape.schema()),
             on_agent([&ctx](Request& r, std::int64_t id) {
               return availability_response(ctx.assignment.availability(r.who(), id));
             }));
  router.add(
      "PUT", "/api/v1/agents/{id}/availability", Access::kSignedIn, "agents",
      "Set an agent's availability (online, away, offline) and working hours (the agent "
      "or an admin)",
      doc("setAgentAvailability")
          .describe("The agent themselves or an admin; send status, calendar or both.")
          .body(availability_change())
          .returns(200, kAvailabilityShape.schema()),
      on_agent([&ctx](Request& r, std::int64_t id) { return set_availability(ctx, r, id); }));
  router.add("GET", "/api/v1/me/availability", Access::kSignedIn, "auth",
             "The signed-in agent's availability",
             doc("getMyAvailability").returns(200, kAvailabilityShape.schema()),
             [&ctx](Request& r) {
               return availability_response(ctx.assignment.availability(r.who(), r.who().user.id));
             });
  router.add("PUT", "/api/v1/me/availability", Access::kSignedIn, "auth",
             "Set one's own availability (online, away, offline) and working hours",
             doc("setMyAvailability")
                 .describe("Going online picks up waiting tickets; going offline hands one's "
                           "tickets back where the department says so. Send status, calendar or "
                           "both.")
                 .body(availability_change())
                 .returns(200, kAvailabilityShape.schema()),
             [&ctx](Request& r) { return set_availability(ctx, r, r.who().user.id); });
}

}  // namespace gongdan::api
