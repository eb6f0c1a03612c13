#include "api/router.hpp"
#include "api/ticket_handlers_common.hpp"
#include "api/user_json.hpp"
#include "util/text.hpp"

namespace gongdan::api {

void add_search_routes(Router& router, ApiContext& ctx) {
  using namespace schema;
  auto hit_schema =
      object({{"type", const_of("ticket")},
              {"ticket", ref("Ticket")},
              {"snippet", string().describe("Text around the match; `<mark>` marks it.")},
              {"matched", enum_of({"subject", "message", "filter"})
                              .describe("`filter`: the query had filters only.")}})
          .require_all();
  router.add(
      "GET", "/api/v1/search", Access::kSignedIn, "search",
      "Full-text search over tickets, messages, tags and contacts, with filters in q",
      doc("search")
          .describe("Words, `\"exact phrases\"`, `-excluded` words and filters: "
                    "`status:open`, `assignee:me|none|<id>`, `department:<name or id>`, "
                    "`tag:vip`, `priority:high`, `type:incident`, `channel:email`, "
                    "`requester:<id>`, `organization:<id>`, `external:<id>` (an imported "
                    "ticket's id in its old help desk), `created>=2026-01-01`, "
                    "`updated<2026-02-01`, `is:unassigned|open|solved`. Chinese, Japanese and "
                    "Korean need no spaces. Subject and tag matches rank first, newer before "
                    "older; results respect every visibility rule.")
          .query("q", string(), "The query.")
          .query("limit", integer().minimum(1).maximum(100), "How many tickets (default 20).")
          .returns(200,
                   object({{"items", array_of(hit_schema)}, {"contacts", array_of(ref("User"))}})
                       .require_all()),
      [&ctx](Request& request) {
        auto q = request.query_value("q").value_or("");
        int limit = 20;
        if (auto l = request.query_value("limit")) {
          limit = text::parse_integer<int>(*l).value_or(0);
          if (limit < 1 || limit > 100)
            return error_response(
                {ErrorCode::kInvalidArgument, "limit must be a number from 1 to 100", "limit"});
        }
        auto results = ctx.search.search(request.who(), q, limit);
        if (!results) return error_response(results.error());
        std::vector<Ticket> tickets;
        for (const auto& hit : results->tickets) tickets.push_back(hit.ticket);
        auto people = people_for(ctx, tickets);
        if (!people) return error_response(people.error());
        auto catalog = ctx.directory.catalog();
        if (!catalog) return error_response(catalog.error());
        json::array items;
        const Millis now = ctx.clock->now_ms();
        for (const auto& hit : results->tickets) {
          // What the caller may read: a customer's view has no tags and no agents' addresses.
          auto ticket = ticket_json_for(request.who(), hit.ticket, **catalog, *people, now);
          items.push_back(json::object{{"type", "ticket"},
                                       {"ticket", std::move(ticket)},
                                       {"snippet", hit.snippet},
                                       {"matched", hit.matched}});
        }
        json::array contacts;
        for (const auto& u : results->contacts) contacts.push_back(user_json(u));
        return json_response(
            200, json::object{{"items", std::move(items)}, {"contacts", std::move(contacts)}});
      });
}

}  // namespace gongdan::api
