#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"

namespace gongdan::api {

void add_audit_routes(Router& router, ApiContext& ctx) {
  using namespace schema;
  auto entry = object({{"id", integer()},
                       {"at", date_time()},
                       {"actor_id", nullable(integer())},
                       {"action", string().describe("`auth.login`, `user.create`, …")},
                       {"target", string()},
                       {"ip", string().describe("Empty for the command line and start-up.")},
                       {"detail", map_of(any())}})
                   .require_all();
  router.add(
      "GET", "/api/v1/audit", Access::kSignedIn, "audit", "The audit log, newest first (admins)",
      doc("listAuditLog")
          .paged()
          .returns(200, object({{"items", array_of(entry)}, {"next_cursor", nullable(string())}})
                            .require_all()),
      [&ctx](Request& request) {
        auto page = page_request(request);
        if (!page) return error_response(page.error());
        auto entries = ctx.audit.list(request.who(), page->after, page->limit + 1);
        if (!entries) return error_response(entries.error());
        return json_response(200, page_answer(*entries, page->limit, [](const auto& e) {
                               boost::system::error_code ec;
                               json::value detail = json::parse(e.detail, ec);
                               if (ec) detail = json::object{};
                               return json::object{{"id", e.id},
                                                   {"at", iso_time(e.at)},
                                                   {"actor_id", or_null(e.actor_id)},
                                                   {"action", e.action},
                                                   {"target", e.target},
                                                   {"ip", e.ip},
                                                   {"detail", std::move(detail)}};
                             }));
      });
}

}  // namespace gongdan::api
