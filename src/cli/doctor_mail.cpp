// `gongdan doctor`'s mail checks: for every active mailbox, its IMAP server (DNS, TCP, TLS, then
// a login and the folder) and its SMTP server (DNS, TCP, TLS, then EHLO, STARTTLS and AUTH,
// sending nothing), through channels/email/driver/mail_probe, the same checks as the desk's
// "test connection". Each step is reported on its own, with the fix for the step that broke.
#include <filesystem>

#include <fmt/format.h>

#include "channels/email/driver/mail_probe.hpp"
#include "cli/doctor.hpp"
#include "cli/key_setup.hpp"
#include "services/mailboxes_service.hpp"
#include "services/resource_load.hpp"
#include "services/secret_box.hpp"

namespace gongdan::cli::doctor {
namespace {

std::string fix_for(const email::MailServer& server, email::ProbeStep step) {
  switch (step) {
    case email::ProbeStep::kDns:
      return "check the host name in the mailbox settings and this machine's DNS";
    case email::ProbeStep::kTcp:
      return "check the port in the mailbox settings and that the firewall lets this machine "
             "reach it";
    case email::ProbeStep::kTls:
      return "use the port and TLS mode the provider gives (implicit TLS is usually 993 for "
             "IMAP and 465 for SMTP; starttls 143 and 587), or fix the server's certificate";
    case email::ProbeStep::kLogin:
    case email::ProbeStep::kFolder:
      if (server.kind == "SMTP")
        return "check smtp_user, smtp_password and smtp_tls in the mailbox settings";
      return "check imap_user, imap_password and imap_folder in the mailbox settings (the desk: "
             "Admin → Mailboxes)";
  }
  return {};
}

void report(const email::MailServer& server, const email::ProbeReport& r,
            const std::string& subject, Findings& out) {
  if (!r.reached.empty()) out.ok(subject, r.reached);
  if (r.ok)
    out.ok(subject, r.message);
  else
    out.error(subject, r.message, fix_for(server, r.step));
}

void check_imap(const Mailbox& box, const std::string& password, const OAuthClient& oauth,
                const std::string& subject, Findings& out) {
  email::MailServer server{"IMAP",        box.imap_host, box.imap_port,   box.imap_tls,
                           box.imap_user, password,      box.imap_folder, oauth};
  report(server, email::probe_imap(server), subject, out);
}

void check_smtp(const Mailbox& box, const std::string& password, const OAuthClient& oauth,
                const std::string& subject, Findings& out) {
  email::MailServer server{
      "SMTP", box.smtp_host, box.smtp_port, box.smtp_tls, box.smtp_user, password, {}, oauth};
  report(server, email::probe_smtp(server), subject, out);
}

}  // namespace

void check_mail(const Config& config, store::Database& db, Findings& out) {
  auto boxes = store::read_value(
      db, [](store::Connection& c) { return services::load_all(c, services::mailbox_resource()); });
  if (!boxes) {
    out.error("mail", "cannot read the mailboxes: " + boxes.error().message,
              "check the database connection");
    return;
  }
  std::vector<Mailbox> active;
  for (auto& b : *boxes)
    if (b.active && (!b.imap_host.empty() || !b.smtp_host.empty())) active.push_back(b);
  if (active.empty()) {
    out.ok("mail", "no active mailbox to check (mail may come through the mailgate)");
    return;
  }
  // A missing or wrong key is check_keys' finding; here it only means no password is tried.
  auto keys = services::Keys::load(key_source(config));
  if (!keys) {
    out.error("mail", "no mailbox password can be unsealed: " + keys.error().message,
              "see the keys finding");
    return;
  }
  const services::SecretBox secrets(std::move(*keys));
  for (const auto& box : active) {
    const std::string subject = fmt::format("mailbox {} (id {})", box.address, box.id);
    auto unseal = [&](const std::string& sealed) -> std::optional<std::string> {
      if (sealed.empty()) return std::string();
      auto opened = secrets.open(sealed);
      if (opened) return std::move(*opened);
      out.error(subject, "its password cannot be unsealed: " + opened.error().message,
                "configure the keys it was saved with, or enter the password again");
      return std::nullopt;
    };
    OAuthClient oauth;
    if (box.auth == "oauth2") {
      auto secret = unseal(box.oauth_client_secret);
      auto refresh = unseal(box.oauth_refresh_token);
      if (!secret || !refresh) continue;
      oauth = {box.oauth_token_url, box.oauth_client_id, *secret, *refresh, box.oauth_scope};
    }
    if (!box.imap_host.empty())
      if (auto password = unseal(box.imap_password))
        check_imap(box, *password, oauth, subject, out);
    if (!box.smtp_host.empty())
      if (auto password = unseal(box.smtp_password))
        check_smtp(box, *password, oauth, subject, out);
  }
}

}  // namespace gongdan::cli::doctor
