// Polling a mailbox now (the mailboxes themselves are the declared resource `mailboxes`).
#include "api/router.hpp"
#include "api/ticket_handlers_common.hpp"
#include "channels/email/driver/imap_poller.hpp"

namespace gongdan::api {

void add_mailbox_routes(Router& router, ApiContext& ctx) {
  router.add("POST", "/api/v1/mailboxes/{id}/poll", Access::kSignedIn, "mail",
             "Poll a mailbox now and wait for the result (admins)", [&ctx](Request& r) {
               auto id = path_id(r, "id", Error{ErrorCode::kNotFound, "no such mailbox", {}, 0});
               if (!id) return error_response(id.error());
               // Admins only, and only a mailbox that exists.
               if (auto found = ctx.mailboxes.find(r.who(), *id); !found)
                 return error_response(found.error());
               auto report = ctx.poll_mailbox(*id);
               if (!report) return error_response(report.error());
               json::object out{{"fetched", report->fetched}, {"error", report->error}};
               return json_response(200, out);
             });
}

}  // namespace gongdan::api
