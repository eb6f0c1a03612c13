// Handle time (docs/metrics.md): the desk's heartbeat while an agent works on a ticket, and the
// ticket's time spent per agent. The desk sends its heartbeats over the live stream
// ({"type": "work"}, http/websocket_session.cpp); this route is the same for API clients and
// for a desk whose stream is down.
#include "api/ticket_handlers_common.hpp"
#include "api/work_time_routes.hpp"

namespace gongdan::api {
namespace {

using namespace schema;

Result<Response> beat(services::WorkTimeService& work, Request& r) {
  GONGDAN_ASSIGN(const auto number, ticket_number(r));
  GONGDAN_ASSIGN(auto body, parse_object(r.body, {"ms"}));
  const auto* ms = body.if_contains("ms");
  if (!ms || !ms->is_int64())
    return fail(ErrorCode::kInvalidArgument, "expected ms, the milliseconds worked", "ms");
  GONGDAN_ASSIGN(const auto counted, work.beat(r.who(), number, ms->as_int64()));
  return json_response(
      200, json::object{{"added_ms", counted.added_ms}, {"total_ms", counted.total_ms}});
}

Result<Response> spent(services::WorkTimeService& work, Request& r) {
  GONGDAN_ASSIGN(const auto number, ticket_number(r));
  GONGDAN_ASSIGN(const auto on_ticket, work.of_ticket(r.who(), number));
  People people;
  for (const auto& [user, ms] : on_ticket.people) people.emplace(user.id, user);
  json::array items;
  for (const auto& [user, ms] : on_ticket.people)
    items.push_back(json::object{{"person", person_json(user.id, people)}, {"ms", ms}});
  return json_response(
      200, json::object{{"total_ms", on_ticket.total_ms}, {"people", std::move(items)}});
}

}  // namespace

void add_work_time_routes(Router& router, services::WorkTimeService& service) {
  auto* work = &service;
  router.add(
      "POST", "/api/v1/tickets/{number}/work-time", Access::kSignedIn, "reports",
      "Record time spent working on a ticket (the desk's heartbeat)",
      doc("recordWorkTime")
          .describe("Staff only. `ms` is the time the ticket's page was open in a visible tab "
                    "with the agent active (input within 5 minutes) since the previous "
                    "heartbeat, sent every 30 seconds. The server counts at most the wall time "
                    "since the caller's previous heartbeat on this ticket, from any tab, so "
                    "tabs open at once count once; the first one starts the count. `ms` below 0 "
                    "or over 600000 is 400; a ticket the caller may not see is 404; customers "
                    "get 403.")
          .path("number", integer(), "The ticket's number.")
          .body(object({{"ms", integer().describe("Milliseconds worked since the previous "
                                                  "heartbeat, 0 to 600000.")}})
                    .require_all())
          .returns(200, object({{"added_ms", integer().describe("What this heartbeat counted.")},
                                {"total_ms", integer().describe("The caller's time on the "
                                                                "ticket so far.")}})
                            .require_all())
          .errors({400, 403, 404}),
      [work](Request& r) { return answer(beat(*work, r)); });
  router.add(
      "GET", "/api/v1/tickets/{number}/work-time", Access::kSignedIn, "reports",
      "Time staff spent working on a ticket",
      doc("getWorkTime")
          .describe("Staff who may see the ticket; per agent, most first (handle time, "
                    "docs/metrics.md).")
          .path("number", integer(), "The ticket's number.")
          .returns(200, object({{"total_ms", integer()},
                                {"people",
                                 array_of(object({{"person", ref("Person")}, {"ms", integer()}})
                                              .require_all())}})
                            .require_all())
          .errors({403, 404}),
      [work](Request& r) { return answer(spent(*work, r)); });
}

}  // namespace gongdan::api
