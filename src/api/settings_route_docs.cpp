// Docs of the routes that live in the admin resources' handler files but are not a resource's
// list/get/create/change/delete: a department's agents, an agent's skills, a contact's
// organization, applying a macro, polling a mailbox. Those files are being moved onto the
// resource declaration (issue 15, item 1), so these docs are attached here with Router::document
// instead of beside each registration; a doc moves next to its route when that route's file
// settles, as those of the webhook delivery log, an agent's departments and availability, and a
// ticket's mail settings have. A doc whose route is gone is a bug: document_settings_routes fails
// loudly at start-up.
#include <stdexcept>

#include "api/context.hpp"
#include "api/router.hpp"

namespace gongdan::api {
namespace {

using namespace schema;

void attach(Router& router, std::string_view method, std::string_view pattern, RouteDoc d) {
  if (!router.document(method, pattern, std::move(d)))
    throw std::logic_error("no route " + std::string(method) + " " + std::string(pattern) +
                           " to document");
}

Schema skills() {
  return object({{"skills",
                  array_of(string()).describe("`language:en|zh-CN`, `type:<type>`, `tag:<tag>`, "
                                              "`field:<key>=<value>`")}})
      .require_all();
}

void document_agents(Router& router) {
  attach(router, "GET", "/api/v1/departments/{id}/agents",
         doc("listDepartmentAgents")
             .returns(
                 200,
                 object({{"items", array_of(integer()).describe("Agents' ids.")}}).require_all()));
  attach(router, "GET", "/api/v1/agents/{id}/skills", doc("getAgentSkills").returns(200, skills()));
  attach(router, "PUT", "/api/v1/agents/{id}/skills",
         doc("setAgentSkills")
             .describe("Replaces them (at most 100); the answer is the normalised, sorted list. "
                       "Errors name the item (`skills[2]`).")
             .body(object({{"skills", array_of(string())}}).require_all())
             .returns(200, skills()));
}

}  // namespace

void document_settings_routes(Router& router) {
  document_agents(router);
  attach(router, "PUT", "/api/v1/contacts/{id}/organization",
         doc("setContactOrganization")
             .body(object({{"organization",
                            nullable(integer().minimum(1)).describe("null or left out: none.")}}))
             .returns_nothing());
  attach(router, "POST", "/api/v1/tickets/{number}/macros/{id}",
         doc("applyMacro")
             .describe("The macro's changes and reply as one ticket command (one new version, "
                       "triggers and SLA included).")
             .body(object())
             .optional_body()
             .returns(200, ref("Ticket"))
             .with_headers({"ETag"}));
  attach(router, "POST", "/api/v1/mailboxes/{id}/poll",
         doc("pollMailbox")
             .describe("Polls now and waits for the result.")
             .returns(200, object({{"fetched", integer()},
                                   {"error", string().describe("Empty when it worked.")}})
                               .require_all()));
}

}  // namespace gongdan::api
