// A ticket's mail settings (/api/v1/tickets/{number}/mail-settings, agents): who may answer it
// by mail, and the asking agent's own reply address. Those of departments and the defaults are
// the declared resource `mail_settings`.
#include "api/answer_shape.hpp"
#include "api/router.hpp"
#include "api/ticket_handlers_common.hpp"
#include "channels/email/mail_intake.hpp"

namespace gongdan::api {
namespace {

using namespace shape;
using services::TicketMailSettings;

schema::Schema outside_replies() { return schema::enum_of({"new_ticket", "follower"}); }

const AnswerShape<TicketMailSettings> kSettingsShape{
    integer("ticket", &TicketMailSettings::ticket_number),
    member("outside_replies", &TicketMailSettings::outside_replies, outside_replies())
        .describe("This ticket's own setting; null: the department's."),
    member("effective_outside_replies", &TicketMailSettings::effective_outside_replies,
           outside_replies()),
    text("reply_address", &TicketMailSettings::reply_address)
        .describe("The asking agent's own reply address for this ticket.")};

// A string or null (null: inherit); absent: unchanged.
Result<std::optional<std::optional<std::string>>> nullable_string(const json::object& o,
                                                                  std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::optional<std::optional<std::string>>{};
  if (it->value().is_null())
    return std::optional<std::optional<std::string>>(std::in_place, std::nullopt);
  if (!it->value().is_string())
    return fail(ErrorCode::kInvalidArgument, "must be a string or null", std::string(key));
  return std::optional<std::optional<std::string>>(std::string(it->value().get_string()));
}

}  // namespace

void add_mail_settings_routes(Router& router, ApiContext& ctx) {
  auto& settings = ctx.mail.service().settings();
  router.add("GET", "/api/v1/tickets/{number}/mail-settings", Access::kSignedIn, "mail",
             "A ticket's mail settings and the asking agent's own reply address (agents)",
             doc("getTicketMailSettings").returns(200, kSettingsShape.schema()),
             [&settings](Request& r) {
               auto number = ticket_number(r);
               if (!number) return error_response(number.error());
               auto out = settings.ticket_settings(r.who(), *number);
               if (!out) return error_response(out.error());
               return json_response(200, kSettingsShape.write(*out));
             });
  router.add(
      "PATCH", "/api/v1/tickets/{number}/mail-settings", Access::kSignedIn, "mail",
      "Whether replies from outside addresses join this ticket as followers (agents)",
      doc("setTicketMailSettings")
          .body(schema::object(
                    {{"outside_replies",
                      schema::nullable(outside_replies()).describe("null: the department's.")}})
                    .require_all())
          .returns(200, kSettingsShape.schema()),
      [&settings](Request& r) {
        auto number = ticket_number(r);
        if (!number) return error_response(number.error());
        auto body = parse_object(r.body, {"outside_replies"});
        if (!body) return error_response(body.error());
        auto value = nullable_string(*body, "outside_replies");
        if (!value) return error_response(value.error());
        if (!*value)
          return error_response({ErrorCode::kInvalidArgument, "is required", "outside_replies"});
        auto out = settings.set_ticket_settings(r.who(), *number, **value);
        if (!out) return error_response(out.error());
        return json_response(200, kSettingsShape.write(*out));
      });
}

}  // namespace gongdan::api
