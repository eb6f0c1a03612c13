// Mail settings: per department and the defaults (/api/v1/mail/settings/{department}, admins),
// and per ticket (/api/v1/tickets/{number}/mail-settings, agents): who may answer a ticket by
// mail, acknowledgement switch and templates, and the asking agent's own reply address.
#include <charconv>

#include "api/router.hpp"
#include "api/ticket_handlers_common.hpp"
#include "channels/email/mail_intake.hpp"

namespace gongdan::api {
namespace {

json::value nullable_text(const std::optional<std::string>& v) {
  return v ? json::value(json::string(*v)) : json::value(nullptr);
}

json::object settings_json(const store::MailSettingsRow& r) {
  json::object o;
  o["department"] = r.department_id ? json::value(r.department_id) : json::value("default");
  o["outside_replies"] = nullable_text(r.outside_replies);
  o["acknowledge"] = r.acknowledge ? json::value(*r.acknowledge) : json::value(nullptr);
  o["ack_subject_en"] = r.ack_subject_en;
  o["ack_body_en"] = r.ack_body_en;
  o["ack_subject_zh"] = r.ack_subject_zh;
  o["ack_body_zh"] = r.ack_body_zh;
  o["signature"] = r.signature;
  o["updated_at"] =
      iso_time_or_null(r.updated_at ? std::optional<Millis>(r.updated_at) : std::nullopt);
  return o;
}

json::object ticket_settings_json(const services::TicketMailSettings& t) {
  return json::object{{"ticket", t.ticket_number},
                      {"outside_replies", nullable_text(t.outside_replies)},
                      {"effective_outside_replies", t.effective_outside_replies},
                      {"reply_address", nullable_text(t.reply_address)}};
}

// "default" (the defaults row, 0) or a department id.
Result<std::int64_t> settings_department(const Request& request) {
  auto text = request.param("department");
  if (text == "default") return std::int64_t{0};
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0)
    return fail(ErrorCode::kNotFound, "no such department (use an id or \"default\")");
  return id;
}

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

Result<services::MailSettingsInput> read_settings(std::string_view text) {
  GONGDAN_ASSIGN(auto body,
                 parse_object(text, {"outside_replies", "acknowledge", "ack_subject_en",
                                     "ack_body_en", "ack_subject_zh", "ack_body_zh", "signature"}));
  services::MailSettingsInput in;
  GONGDAN_ASSIGN(in.outside_replies, nullable_string(body, "outside_replies"));
  if (auto it = body.find("acknowledge"); it != body.end()) {
    if (it->value().is_null())
      in.acknowledge.emplace(std::nullopt);
    else if (it->value().is_bool())
      in.acknowledge.emplace(it->value().get_bool());
    else
      return fail(ErrorCode::kInvalidArgument, "must be true, false or null", "acknowledge");
  }
  GONGDAN_ASSIGN(in.ack_subject_en, optional_string(body, "ack_subject_en", 500));
  GONGDAN_ASSIGN(in.ack_body_en, optional_string(body, "ack_body_en", 20000));
  GONGDAN_ASSIGN(in.ack_subject_zh, optional_string(body, "ack_subject_zh", 500));
  GONGDAN_ASSIGN(in.ack_body_zh, optional_string(body, "ack_body_zh", 20000));
  GONGDAN_ASSIGN(in.signature, optional_string(body, "signature", 2000));
  return in;
}

}  // namespace

void add_mail_settings_routes(Router& router, ApiContext& ctx) {
  auto& settings = ctx.mail.service().settings();
  router.add("GET", "/api/v1/mail/settings", Access::kSignedIn, "mail",
             "Mail settings of every department that has its own, and the defaults (admins)",
             [&settings](Request& r) {
               auto rows = settings.list(r.who());
               if (!rows) return error_response(rows.error());
               json::array items;
               for (const auto& row : *rows) items.push_back(settings_json(row));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  router.add("GET", "/api/v1/mail/settings/{department}", Access::kSignedIn, "mail",
             "Mail settings of a department, or \"default\" (admins)", [&settings](Request& r) {
               auto id = settings_department(r);
               if (!id) return error_response(id.error());
               auto row = settings.get(r.who(), *id);
               if (!row) return error_response(row.error());
               return json_response(200, settings_json(*row));
             });
  router.add("PUT", "/api/v1/mail/settings/{department}", Access::kSignedIn, "mail",
             "Change the mail settings of a department, or \"default\": outside replies, "
             "acknowledgements and their templates (admins)",
             [&settings](Request& r) {
               auto id = settings_department(r);
               if (!id) return error_response(id.error());
               auto in = read_settings(r.body);
               if (!in) return error_response(in.error());
               auto row = settings.update(r.who(), *id, *in);
               if (!row) return error_response(row.error());
               return json_response(200, settings_json(*row));
             });
  router.add("GET", "/api/v1/tickets/{number}/mail-settings", Access::kSignedIn, "mail",
             "A ticket's mail settings and the asking agent's own reply address (agents)",
             [&settings](Request& r) {
               auto number = ticket_number(r);
               if (!number) return error_response(number.error());
               auto out = settings.ticket_settings(r.who(), *number);
               if (!out) return error_response(out.error());
               return json_response(200, ticket_settings_json(*out));
             });
  router.add(
      "PATCH", "/api/v1/tickets/{number}/mail-settings", Access::kSignedIn, "mail",
      "Whether replies from outside addresses join this ticket as followers (agents)",
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
        return json_response(200, ticket_settings_json(*out));
      });
}

}  // namespace gongdan::api
