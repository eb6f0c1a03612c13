// /api/v1/mailboxes: the IMAP mailboxes polled per department (admins). Passwords are write-only:
// answers say only whether one is set.
#include <charconv>

#include "api/router.hpp"
#include "api/ticket_body.hpp"
#include "api/ticket_handlers_common.hpp"

namespace gongdan::api {
namespace {

json::object mailbox_json(const store::MailboxRow& m) {
  json::object o{{"id", m.id},
                 {"address", m.address},
                 {"imap_host", m.imap_host},
                 {"imap_port", m.imap_port},
                 {"imap_tls", m.imap_tls},
                 {"imap_user", m.imap_user},
                 {"has_password", !m.imap_password.empty()},
                 {"imap_folder", m.imap_folder},
                 {"poll_seconds", m.poll_seconds},
                 {"after_fetch", m.after_fetch},
                 {"move_to", m.move_to},
                 {"trusted", m.trusted},
                 {"active", m.active},
                 {"last_poll_at", iso_time_or_null(m.last_poll_at)},
                 {"last_error", m.last_error},
                 {"fetched", m.fetched},
                 {"smtp_host", m.smtp_host},
                 {"smtp_port", m.smtp_port},
                 {"smtp_tls", m.smtp_tls},
                 {"smtp_user", m.smtp_user},
                 {"has_smtp_password", !m.smtp_password.empty()},
                 {"acknowledge", m.acknowledge},
                 {"created_at", iso_time(m.created_at)},
                 {"updated_at", iso_time(m.updated_at)}};
  o["department"] = m.department_id ? json::value(*m.department_id) : json::value(nullptr);
  return o;
}

Result<std::optional<std::int64_t>> optional_integer(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::optional<std::int64_t>{};
  if (!it->value().is_int64())
    return fail(ErrorCode::kInvalidArgument, "must be a number", std::string(key));
  return std::optional<std::int64_t>(it->value().as_int64());
}

Result<services::MailboxInput> read_mailbox(std::string_view text) {
  GONGDAN_ASSIGN(
      auto body,
      parse_object(text, {"address", "department", "imap_host", "imap_port", "imap_tls",
                          "imap_user", "imap_password", "imap_folder", "poll_seconds",
                          "after_fetch", "move_to", "trusted", "active", "smtp_host", "smtp_port",
                          "smtp_tls", "smtp_user", "smtp_password", "acknowledge"}));
  services::MailboxInput in;
  GONGDAN_ASSIGN(in.address, optional_string(body, "address", 254));
  GONGDAN_ASSIGN(in.department_id, optional_nullable_id(body, "department"));
  GONGDAN_ASSIGN(in.imap_host, optional_string(body, "imap_host", 255));
  GONGDAN_ASSIGN(in.imap_port, optional_integer(body, "imap_port"));
  GONGDAN_ASSIGN(in.imap_tls, optional_string(body, "imap_tls", 10));
  GONGDAN_ASSIGN(in.imap_user, optional_string(body, "imap_user", 255));
  GONGDAN_ASSIGN(in.imap_password, optional_string(body, "imap_password", 1024));
  GONGDAN_ASSIGN(in.imap_folder, optional_string(body, "imap_folder", 255));
  GONGDAN_ASSIGN(in.poll_seconds, optional_integer(body, "poll_seconds"));
  GONGDAN_ASSIGN(in.after_fetch, optional_string(body, "after_fetch", 10));
  GONGDAN_ASSIGN(in.move_to, optional_string(body, "move_to", 255));
  GONGDAN_ASSIGN(in.trusted, optional_bool(body, "trusted"));
  GONGDAN_ASSIGN(in.active, optional_bool(body, "active"));
  GONGDAN_ASSIGN(in.smtp_host, optional_string(body, "smtp_host", 255));
  GONGDAN_ASSIGN(in.smtp_port, optional_integer(body, "smtp_port"));
  GONGDAN_ASSIGN(in.smtp_tls, optional_string(body, "smtp_tls", 10));
  GONGDAN_ASSIGN(in.smtp_user, optional_string(body, "smtp_user", 255));
  GONGDAN_ASSIGN(in.smtp_password, optional_string(body, "smtp_password", 1024));
  GONGDAN_ASSIGN(in.acknowledge, optional_bool(body, "acknowledge"));
  return in;
}

Result<std::int64_t> mailbox_id(const Request& request) {
  auto text = request.param("id");
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0)
    return fail(ErrorCode::kNotFound, "no such mailbox");
  return id;
}

}  // namespace

void add_mailbox_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/mailboxes", Access::kSignedIn, "mail", "IMAP mailboxes (admins)",
             [&ctx](Request& r) {
               auto rows = ctx.mailboxes.list(r.who());
               if (!rows) return error_response(rows.error());
               json::array items;
               for (const auto& m : *rows) items.push_back(mailbox_json(m));
               return json_response(200, json::object{{"items", std::move(items)}});
             });
  router.add("POST", "/api/v1/mailboxes", Access::kSignedIn, "mail",
             "Add a mailbox (admins); the password is stored sealed", [&ctx](Request& r) {
               auto in = read_mailbox(r.body);
               if (!in) return error_response(in.error());
               auto row = ctx.mailboxes.create(r.who(), *in);
               if (!row) return error_response(row.error());
               return json_response(201, mailbox_json(*row));
             });
  router.add("GET", "/api/v1/mailboxes/{id}", Access::kSignedIn, "mail", "One mailbox (admins)",
             [&ctx](Request& r) {
               auto id = mailbox_id(r);
               if (!id) return error_response(id.error());
               auto row = ctx.mailboxes.get(r.who(), *id);
               if (!row) return error_response(row.error());
               return json_response(200, mailbox_json(*row));
             });
  router.add("PATCH", "/api/v1/mailboxes/{id}", Access::kSignedIn, "mail",
             "Change a mailbox (admins)", [&ctx](Request& r) {
               auto id = mailbox_id(r);
               if (!id) return error_response(id.error());
               auto in = read_mailbox(r.body);
               if (!in) return error_response(in.error());
               auto row = ctx.mailboxes.update(r.who(), *id, *in);
               if (!row) return error_response(row.error());
               return json_response(200, mailbox_json(*row));
             });
  router.add("DELETE", "/api/v1/mailboxes/{id}", Access::kSignedIn, "mail",
             "Remove a mailbox (admins)", [&ctx](Request& r) {
               auto id = mailbox_id(r);
               if (!id) return error_response(id.error());
               auto done = ctx.mailboxes.remove(r.who(), *id);
               if (!done) return error_response(done.error());
               return no_content();
             });
  router.add("POST", "/api/v1/mailboxes/{id}/poll", Access::kSignedIn, "mail",
             "Poll a mailbox now and wait for the result (admins)", [&ctx](Request& r) {
               auto id = mailbox_id(r);
               if (!id) return error_response(id.error());
               auto row = ctx.mailboxes.get(r.who(), *id);  // the admin check
               if (!row) return error_response(row.error());
               auto report = ctx.poll_mailbox(*id);
               if (!report) return error_response(report.error());
               json::object out{{"fetched", report->fetched}, {"error", report->error}};
               return json_response(200, out);
             });
}

}  // namespace gongdan::api
