// The agents' in-app notifications (the notify action of triggers and automations).
#include "api/context.hpp"
#include "api/json.hpp"
#include "api/notification_json.hpp"
#include "api/router.hpp"

namespace gongdan::api {

using namespace shape;

const AnswerShape<Notification> kNotificationShape{
    integer("id", &Notification::id),
    member("kind", &Notification::kind, schema::enum_of({"rule", "automation", "sla", "call"}))
        .describe("call: a PBX rings the agent (docs/channels.md)."),
    text("title", &Notification::title).describe("\"#123 subject\""),
    text("body", &Notification::body)
        .describe("The rule's name; for a call, the caller's open tickets."),
    integer("ticket_number", &Notification::ticket_number),
    computed<Notification>(
        "read", [](const Notification& n) { return n.read_at.has_value(); }, schema::boolean()),
    instant("created_at", &Notification::created_at)};

namespace {

Response list_notifications(ApiContext& ctx, Request& r) {
  auto page = page_request(r);
  if (!page) return error_response(page.error());
  const auto unread_only = r.query_value("unread").value_or("") == "true";
  auto rows = ctx.notifications.notifications(r.who(), unread_only, page->after, page->limit + 1);
  if (!rows) return error_response(rows.error());
  auto unread = ctx.notifications.unread(r.who());
  if (!unread) return error_response(unread.error());
  auto answer = page_answer(*rows, page->limit, kNotificationShape);
  answer["unread"] = *unread;
  return json_response(200, answer);
}

Response bad_ids(std::string message) {
  return error_response(Error{ErrorCode::kInvalidArgument, std::move(message), "ids", 0});
}

Response read_notifications(ApiContext& ctx, Request& r) {
  std::vector<std::int64_t> ids;
  if (!r.body.empty()) {
    auto body = parse_object(r.body, {"ids"});
    if (!body) return error_response(body.error());
    if (auto it = body->find("ids"); it != body->end()) {
      const auto* list = it->value().if_array();
      if (!list || list->size() > 1000) return bad_ids("a list of at most 1000 notification ids");
      for (const auto& v : *list) {
        if (!v.is_int64() || v.as_int64() <= 0)
          return bad_ids("notification ids are positive integers");
        ids.push_back(v.as_int64());
      }
      if (ids.empty()) return bad_ids("leave out \"ids\" to mark every notification read");
    }
  }
  auto n = ctx.notifications.mark_read(r.who(), ids);
  if (!n) return error_response(n.error());
  return json_response(200, json::object{{"marked", *n}});
}

}  // namespace

void add_notification_routes(Router& router, ApiContext& ctx) {
  using schema::array_of, schema::enum_of, schema::integer, schema::nullable, schema::ref,
      schema::string;
  router.add("GET", "/api/v1/notifications", Access::kSignedIn, "automation",
             "Your notifications (agents), newest first; ?unread=true for unread only",
             doc("listNotifications")
                 .query("unread", enum_of({"true", "false"}), "`true`: only unread ones.")
                 .paged()
                 .returns(200, schema::object({{"items", array_of(ref("Notification"))},
                                               {"unread", integer()},
                                               {"next_cursor", nullable(string())}})
                                   .require_all()),
             [&ctx](Request& r) { return list_notifications(ctx, r); });
  router.add("POST", "/api/v1/notifications/read", Access::kSignedIn, "automation",
             "Mark notifications read: {\"ids\": [...]}, or every one without a body",
             doc("markNotificationsRead")
                 .body(schema::object(
                     {{"ids", array_of(integer().minimum(1)).min_items(1).max_items(1000)}}))
                 .optional_body()
                 .returns(200, schema::object({{"marked", integer()}}).require_all()),
             [&ctx](Request& r) { return read_notifications(ctx, r); });
}

}  // namespace gongdan::api
