// Docs of the routes that live in the admin resources' handler files but are not a resource's
// list/get/create/change/delete: an agent's departments, skills and availability, a contact's
// organization, applying a macro, a ticket's mail settings, polling a mailbox. Those files are
// being moved onto the resource declaration (issue 15, item 1), so these docs are attached here
// with Router::document instead of beside each registration; a doc moves next to its route when
// that route's file settles (the webhook delivery log's has: webhook_handlers.cpp). A doc whose
// route is gone is a bug: document_settings_routes fails loudly at start-up.
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

Schema availability() {
  return object({{"agent_id", integer()},
                 {"status", enum_of({"online", "away", "offline"})},
                 {"calendar", nullable(integer()).describe("The business calendar of their "
                                                           "working hours; null: always.")},
                 {"working_now", boolean()},
                 {"assignable", boolean().describe("Online and inside working hours.")},
                 {"updated_at", nullable(date_time())}})
      .require_all();
}

Schema availability_change() {
  return object({{"status", enum_of({"online", "away", "offline"})},
                 {"calendar", nullable(integer().minimum(1))}});
}

Schema memberships() {
  return object({{"departments", array_of(integer())},
                 {"all_departments", boolean().describe("Sees every department's tickets.")}})
      .require_all();
}

Schema skills() {
  return object({{"skills",
                  array_of(string()).describe("`language:en|zh-CN`, `type:<type>`, `tag:<tag>`, "
                                              "`field:<key>=<value>`")}})
      .require_all();
}

Schema ticket_mail_settings() {
  auto outside = enum_of({"new_ticket", "follower"});
  return object({{"ticket", integer()},
                 {"outside_replies", nullable(outside).describe("This ticket's own setting; "
                                                                "null: the department's.")},
                 {"effective_outside_replies", outside},
                 {"reply_address", nullable(string()).describe(
                                       "The asking agent's own reply address for this ticket.")}})
      .require_all();
}

void document_agents(Router& router) {
  attach(router, "GET", "/api/v1/agents/{id}/departments",
         doc("getAgentDepartments").returns(200, memberships()));
  attach(router, "PUT", "/api/v1/agents/{id}/departments",
         doc("setAgentDepartments")
             .body(object({{"departments", array_of(integer().minimum(1)).max_items(100)},
                           {"all_departments", boolean()}}))
             .returns(200, memberships()));
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
  attach(router, "GET", "/api/v1/agents/{id}/availability",
         doc("getAgentAvailability").returns(200, availability()));
  attach(router, "PUT", "/api/v1/agents/{id}/availability",
         doc("setAgentAvailability")
             .describe("The agent themselves or an admin; send status, calendar or both.")
             .body(availability_change())
             .returns(200, availability()));
  attach(router, "GET", "/api/v1/me/availability",
         doc("getMyAvailability").returns(200, availability()));
  attach(router, "PUT", "/api/v1/me/availability",
         doc("setMyAvailability")
             .describe("Going online picks up waiting tickets; going offline hands one's "
                       "tickets back where the department says so. Send status, calendar or "
                       "both.")
             .body(availability_change())
             .returns(200, availability()));
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
  attach(router, "GET", "/api/v1/tickets/{number}/mail-settings",
         doc("getTicketMailSettings").returns(200, ticket_mail_settings()));
  attach(router, "PATCH", "/api/v1/tickets/{number}/mail-settings",
         doc("setTicketMailSettings")
             .body(object({{"outside_replies", nullable(enum_of({"new_ticket", "follower"}))
                                                   .describe("null: the department's.")}})
                       .require_all())
             .returns(200, ticket_mail_settings()));
  attach(router, "POST", "/api/v1/mailboxes/{id}/poll",
         doc("pollMailbox")
             .describe("Polls now and waits for the result.")
             .returns(200, object({{"fetched", integer()},
                                   {"error", string().describe("Empty when it worked.")}})
                               .require_all()));
}

}  // namespace gongdan::api
