// Mail templates (admins) for the send_mail action, and the agents' in-app notifications (the
// notify action).
#include <charconv>

#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"

namespace gongdan::api {
namespace {

Result<std::int64_t> template_id(const Request& request) {
  auto text = request.param("id");
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0)
    return fail(ErrorCode::kNotFound, "no such mail template");
  return id;
}

json::object template_json(const store::MailTemplateRow& t) {
  boost::system::error_code ec;
  json::value variants = json::parse(t.variants, ec);
  if (ec) variants = json::array{};
  return json::object{{"id", t.id},
                      {"name", t.name},
                      {"variants", std::move(variants)},
                      {"created_at", iso_time(t.created_at)},
                      {"updated_at", iso_time(t.updated_at)}};
}

Result<services::MailTemplateInput> read_template(const Request& request) {
  GONGDAN_ASSIGN(auto body, parse_object(request.body, {"name", "variants"}));
  services::MailTemplateInput in;
  GONGDAN_ASSIGN(in.name, optional_string(body, "name", 200));
  if (auto it = body.find("variants"); it != body.end()) in.variants = it->value();
  return in;
}

json::value id_or_null(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object notification_json(const store::NotificationRow& n) {
  return json::object{{"id", n.id},
                      {"kind", n.kind},
                      {"title", n.title},
                      {"body", n.body},
                      {"ticket_number", id_or_null(n.ticket_number)},
                      {"read", n.read_at.has_value()},
                      {"created_at", iso_time(n.created_at)}};
}

Response list_notifications(ApiContext& ctx, Request& r) {
  auto page = page_request(r);
  if (!page) return error_response(page.error());
  const auto unread_only = r.query_value("unread").value_or("") == "true";
  auto rows = ctx.mail_templates.notifications(r.who(), unread_only, page->after, page->limit + 1);
  if (!rows) return error_response(rows.error());
  auto unread = ctx.mail_templates.unread(r.who());
  if (!unread) return error_response(unread.error());
  json::value next = nullptr;
  if (static_cast<int>(rows->size()) > page->limit) {
    rows->resize(page->limit);
    next = json::string(encode_cursor(rows->back().id));
  }
  json::array items;
  for (const auto& n : *rows) items.push_back(notification_json(n));
  return json_response(
      200, json::object{{"items", std::move(items)}, {"unread", *unread}, {"next_cursor", next}});
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
  auto n = ctx.mail_templates.mark_read(r.who(), ids);
  if (!n) return error_response(n.error());
  return json_response(200, json::object{{"marked", *n}});
}

}  // namespace

void add_mail_template_routes(Router& router, ApiContext& ctx) {
  using schema::array_of, schema::enum_of, schema::integer, schema::nullable, schema::ref,
      schema::string;
  router.add("GET", "/api/v1/mail-templates", Access::kSignedIn, "automation",
             "Mail templates for the send_mail action (admins)", [&ctx](Request& r) {
               auto rows = ctx.mail_templates.list(r.who());
               if (!rows) return error_response(rows.error());
               json::array items;
               for (const auto& t : *rows) items.push_back(template_json(t));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  router.add("POST", "/api/v1/mail-templates", Access::kSignedIn, "automation",
             "Add a mail template: a name and a subject and body per language", [&ctx](Request& r) {
               auto in = read_template(r);
               if (!in) return error_response(in.error());
               auto row = ctx.mail_templates.create(r.who(), *in);
               if (!row) return error_response(row.error());
               return json_response(201, template_json(*row));
             });
  router.add("GET", "/api/v1/mail-templates/{id}", Access::kSignedIn, "automation",
             "One mail template", [&ctx](Request& r) {
               auto id = template_id(r);
               if (!id) return error_response(id.error());
               auto row = ctx.mail_templates.get(r.who(), *id);
               if (!row) return error_response(row.error());
               return json_response(200, template_json(*row));
             });
  router.add("PATCH", "/api/v1/mail-templates/{id}", Access::kSignedIn, "automation",
             "Change a mail template (variants are replaced as a whole)", [&ctx](Request& r) {
               auto id = template_id(r);
               if (!id) return error_response(id.error());
               auto in = read_template(r);
               if (!in) return error_response(in.error());
               auto row = ctx.mail_templates.update(r.who(), *id, *in);
               if (!row) return error_response(row.error());
               return json_response(200, template_json(*row));
             });
  router.add("DELETE", "/api/v1/mail-templates/{id}", Access::kSignedIn, "automation",
             "Remove a mail template", [&ctx](Request& r) {
               auto id = template_id(r);
               if (!id) return error_response(id.error());
               if (auto done = ctx.mail_templates.remove(r.who(), *id); !done)
                 return error_response(done.error());
               return no_content();
             });
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
