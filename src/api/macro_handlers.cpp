// Applying a macro to a ticket (the macros themselves are the declared resource `macros`).
#include "api/router.hpp"
#include "api/ticket_handlers_common.hpp"

namespace gongdan::api {

void add_macro_routes(Router& router, ApiContext& ctx) {
  router.add("POST", "/api/v1/tickets/{number}/macros/{id}", Access::kSignedIn, "automation",
             "Apply a macro to a ticket: its changes and reply in one step", [&ctx](Request& r) {
               auto number = ticket_number(r);
               if (!number) return error_response(number.error());
               auto id = path_id(r, "id", Error{ErrorCode::kNotFound, "no such macro", {}, 0});
               if (!id) return error_response(id.error());
               if (!r.body.empty()) {
                 auto body = parse_object(r.body, {});
                 if (!body) return error_response(body.error());
               }
               auto ticket = ctx.macros.apply(r.who(), *number, *id);
               if (!ticket) return error_response(ticket.error());
               return ticket_response(ctx, r.who(), *ticket, 200);
             });
}

}  // namespace gongdan::api
