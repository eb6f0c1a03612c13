// Polling a mailbox now, and testing its servers (the mailboxes themselves are the declared
// resource `mailboxes`).
#include "api/router.hpp"
#include "api/ticket_handlers_common.hpp"
#include "channels/email/driver/imap_poller.hpp"
#include "channels/email/driver/mail_probe.hpp"

namespace gongdan::api {
namespace {

// One server's outcome: skipped when the mailbox names no host for it.
json::object probe_json(const std::string& host, const email::ProbeReport* report) {
  if (host.empty() || !report)
    return json::object{{"checked", false}, {"ok", false}, {"step", nullptr}, {"message", ""}};
  json::object o{{"checked", true}, {"ok", report->ok}, {"message", report->message}};
  o["step"] = report->ok ? json::value(nullptr)
                         : json::value(std::string(email::probe_step_name(report->step)));
  if (!report->reached.empty()) o["reached"] = report->reached;
  return o;
}

// Logs in to the saved mailbox's IMAP and SMTP servers and reports each step: nothing is fetched
// or sent. The answer is 200 whatever the servers said; what failed is in the body.
Result<Response> test_mailbox(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto id, path_id(request, "id", "mailbox"));
  GONGDAN_TRY(ctx.mailboxes.find(request.who(), id));  // admins only, an existing mailbox
  GONGDAN_ASSIGN(auto account, ctx.mailboxes.account(id));
  if (!account) return fail(ErrorCode::kNotFound, "no such mailbox");
  const auto& box = account->mailbox;
  std::optional<email::ProbeReport> imap, smtp;
  if (!box.imap_host.empty())
    imap = email::probe_imap({"IMAP", box.imap_host, box.imap_port, box.imap_tls, box.imap_user,
                              account->password, box.imap_folder, account->oauth});
  if (!box.smtp_host.empty())
    smtp = email::probe_smtp({"SMTP",
                              box.smtp_host,
                              box.smtp_port,
                              box.smtp_tls,
                              box.smtp_user,
                              account->smtp_password,
                              {},
                              account->oauth});
  return json_response(200,
                       json::object{{"imap", probe_json(box.imap_host, imap ? &*imap : nullptr)},
                                    {"smtp", probe_json(box.smtp_host, smtp ? &*smtp : nullptr)}});
}

}  // namespace

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
  using namespace schema;
  auto server = object({{"checked", boolean().describe("false: the mailbox names no host.")},
                        {"ok", boolean()},
                        {"step", nullable(enum_of({"dns", "tcp", "tls", "login", "folder"}))
                                     .describe("The step that failed.")},
                        {"message", string().describe("What failed, or what was proved.")},
                        {"reached", string().describe("DNS, TCP and TLS, once they passed.")}})
                    .require({"checked", "ok", "step", "message"});
  router.add("POST", "/api/v1/mailboxes/{id}/test", Access::kSignedIn, "mail",
             "Test a mailbox's IMAP and SMTP servers: DNS, TCP, TLS, login, folder (admins)",
             doc("testMailbox")
                 .describe("Fetches and sends nothing. 200 whatever the servers said: `ok` and "
                           "`step` say which step failed, `message` the server's words. Up to "
                           "10 s a step.")
                 .path("id", integer())
                 .returns(200, object({{"imap", server}, {"smtp", server}}).require_all())
                 .errors({403, 404}),
             [&ctx](Request& r) { return answer(test_mailbox(ctx, r)); });
}

}  // namespace gongdan::api
