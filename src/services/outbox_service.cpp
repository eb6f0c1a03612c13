#include "services/outbox_service.hpp"

#include <algorithm>

#include "store/assignment_store.hpp"
#include "store/database.hpp"

#include "domain/template.hpp"
#include "services/delivery_attempts.hpp"
#include "services/job_kinds.hpp"
#include "services/mail_settings_service.hpp"
#include "store/attachments_store.hpp"
#include "store/mail_store.hpp"
#include "store/outbox_store.hpp"
#include "store/tickets_store.hpp"
#include "store/users_store.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

// An image the message's HTML shows by its download path (pasted into the desk's editor) goes
// with the mail as an inline part that the HTML names by cid:, which a mail client shows with
// no sign-in. Returns the part's Content-ID, or "" when the HTML does not show it.
std::string inline_image(std::string& html, const Attachment& a, std::string_view message_id) {
  const std::string path = "\"" + std::string(kAttachmentPath) + std::to_string(a.id) + "\"";
  if (html.find(path) == std::string::npos) return {};
  const std::string content_id = "att" + std::to_string(a.id) + "." + std::string(message_id);
  const std::string cid = "\"cid:" + content_id + "\"";
  for (auto pos = html.find(path); pos != std::string::npos; pos = html.find(path, pos)) {
    html.replace(pos, path.size(), cid);
    pos += cid.size();
  }
  return content_id;
}

constexpr Millis kHourMs = 3600 * 1000;

std::string domain_of(std::string_view address) {
  const auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string("gongdan.invalid")
                                      : std::string(address.substr(at + 1));
}

std::string new_message_id(std::string_view from_address) {
  return "gongdan." + crypto::random_token(18) + "@" + domain_of(from_address);
}

// Han, kana or hangul anywhere in the text (UTF-8 lead bytes of U+2E80..U+D7FF).
bool has_cjk(std::string_view s) {
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0xE2 || b0 > 0xED) continue;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    const unsigned cp = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6);
    if (cp >= 0x2E80 && cp < 0xD800) return true;
  }
  return false;
}

std::string mail_job_payload(std::int64_t outbound_id) {
  return "{\"outbound_id\":" + std::to_string(outbound_id) + "}";
}

std::vector<std::string> split_references(const std::string& refs) {
  std::vector<std::string> out;
  for (auto part : text::split(refs, ' '))
    if (!part.empty()) out.emplace_back(part);
  return out;
}

// Lower-case `address` without a "+tag" in its local part: an agent's reply address is our
// mailbox's address with a tag (reply_address.hpp).
std::string untagged(std::string address) {
  address = text::to_lower_ascii(address);
  const auto at = address.rfind('@');
  const auto plus = address.find('+');
  if (at != std::string::npos && plus < at) address.erase(plus, at - plus);
  return address;
}

// An address we may mail: contacts an IM source or a phone call brought have one under
// .invalid (RFC 2606), which is never mailed.
bool mailable(std::string_view address) {
  return text::looks_like_email(address) && !text::to_lower_ascii(address).ends_with(".invalid");
}

std::string token_subject(const Ticket& t, std::string_view prefix) {
  const std::string token = "[" + std::string(prefix) + std::to_string(t.number) + "]";
  if (t.subject.find(token) != std::string::npos) return t.subject;
  return token + " " + t.subject;
}

}  // namespace

Result<void> OutboxService::enqueue(store::Connection& c, OutboundMail row, Millis now) {
  row.created_at = now;
  row.next_attempt_at = now;
  GONGDAN_ASSIGN(row.id, store::insert_outbound(c, row));
  // Its job commits with it: the mail is sent once the reply is on disk, never before.
  NewJob job;
  job.kind = std::string(kMailJob);
  job.payload = mail_job_payload(row.id);
  job.run_at = now;
  job.idempotency_key = "mail:" + std::to_string(row.id);
  GONGDAN_TRY(jobs_.enqueue(c, job));
  // Our Message-ID joins the thread, so the customer's answer lands on this ticket.
  MailRecord record;
  record.message_id = row.message_id;
  record.ticket_id = row.ticket_id;
  record.ticket_message_id = row.ticket_message_id;
  record.direction = "out";
  record.from_address = row.from_address;
  record.subject = row.subject;
  record.created_at = now;
  GONGDAN_TRY(store::insert_mail_record(c, record));
  return {};
}

Result<MailCopies> OutboxService::copies_of(store::Connection& c, const Ticket& ticket,
                                            const User& requester, const MailCopies& asked) {
  MailCopies out;
  std::vector<std::string> seen{text::to_lower_ascii(requester.email)};
  auto take = [&](std::vector<std::string>& into, std::string address) -> Result<void> {
    address = text::to_lower_ascii(text::trim(address));
    if (!mailable(address) || into.size() >= kMaxMailCopies) return {};
    if (std::find(seen.begin(), seen.end(), address) != seen.end()) return {};
    GONGDAN_ASSIGN(bool ours, is_own_address(c, untagged(address)));
    if (ours) return {};  // never mail ourselves
    seen.push_back(address);
    into.push_back(std::move(address));
    return {};
  };
  for (const auto& a : asked.cc) GONGDAN_TRY(take(out.cc, a));
  GONGDAN_ASSIGN(auto followers, store::list_followers(c, ticket.id));
  for (auto id : followers) {
    GONGDAN_ASSIGN(auto follower, store::find_user(c, id));
    // Agents who follow hear of replies on the desk; customers who follow are on the mail.
    if (follower && follower->active && follower->role == Role::kCustomer)
      GONGDAN_TRY(take(out.cc, follower->email));
  }
  for (const auto& a : asked.bcc) GONGDAN_TRY(take(out.bcc, a));
  return out;
}

Result<void> OutboxService::on_public_reply(store::Connection& c, const Ticket& ticket,
                                            const Message& message, const MailCopies& asked) {
  // A live chat's replies reach the visitor in the chat, not by mail too.
  if (message.channel == "chat") return {};
  GONGDAN_ASSIGN(auto mailbox, sending_mailbox(c, ticket.department_id));
  if (!mailbox) return {};
  GONGDAN_ASSIGN(auto requester, store::find_user(c, ticket.requester_id));
  if (!requester || !mailable(requester->email)) return {};
  if (text::to_lower_ascii(requester->email) == mailbox->address) return {};
  GONGDAN_ASSIGN(auto thread, store::ticket_mail_ids(c, ticket.id, 20));
  OutboundMail row;
  row.ticket_id = ticket.id;
  row.ticket_message_id = message.id;
  row.mailbox_id = mailbox->id;
  row.kind = "reply";
  row.message_id = new_message_id(mailbox->address);
  row.from_address = mailbox->address;
  row.to_address = requester->email;
  row.to_name = requester->name;
  GONGDAN_ASSIGN(auto copies, copies_of(c, ticket, *requester, asked));
  row.cc = text::join(copies.cc, ' ');
  row.bcc = text::join(copies.bcc, ' ');
  row.subject = "Re: " + token_subject(ticket, settings_.token_prefix);
  if (!thread.empty()) row.in_reply_to = thread.back();
  for (const auto& id : thread) row.references += (row.references.empty() ? "" : " ") + id;
  row.body = message.body;
  row.html = message.html;
  // The department's signature, in both parts.
  GONGDAN_ASSIGN(auto signature, effective_signature(c, ticket.department_id));
  if (!signature.empty()) {
    FactMap facts{
        {"ticket.number", ticket.number},
        {"ticket.subject", ticket.subject},
        {"ticket.token", "[" + settings_.token_prefix + std::to_string(ticket.number) + "]"},
        {"requester.name", requester->name},
        {"requester.email", requester->email}};
    if (message.author_id) {
      GONGDAN_ASSIGN(auto author, store::find_user(c, *message.author_id));
      if (author) facts["agent.name"] = author->name;
    }
    const std::string text = render_template(signature, facts, EscapeContext::kPlainText);
    row.body += "\n\n-- \n" + text;
    if (!row.html.empty()) {
      std::string html = escape_for(text, EscapeContext::kHtml);
      for (auto pos = html.find('\n'); pos != std::string::npos; pos = html.find('\n', pos))
        html.replace(pos, 1, "<br>");
      row.html += "<p>-- <br>" + html + "</p>";
    }
  }
  return enqueue(c, std::move(row), clock_.now_ms());
}

Result<bool> OutboxService::automatic_mail(store::Connection& c, const Ticket& ticket,
                                           std::string_view to_email, std::string_view to_name,
                                           std::string subject, std::string body) {
  GONGDAN_ASSIGN(auto mailbox, sending_mailbox(c, ticket.department_id));
  if (!mailbox) return false;
  // Like an acknowledgement, it counts towards the per-address limit that stops two robots
  // mailing each other.
  GONGDAN_ASSIGN(auto automatic, automatic_row(c, ticket, *mailbox, to_email, to_name));
  if (!automatic) return false;
  auto& row = *automatic;
  GONGDAN_ASSIGN(auto thread, store::ticket_mail_ids(c, ticket.id, 20));
  const std::string token = "[" + settings_.token_prefix + std::to_string(ticket.number) + "]";
  row.subject = subject.find(token) == std::string::npos ? token + " " + subject : subject;
  if (!thread.empty()) row.in_reply_to = thread.back();
  for (const auto& id : thread) row.references += (row.references.empty() ? "" : " ") + id;
  row.body = std::move(body);
  GONGDAN_TRY(enqueue(c, std::move(row), clock_.now_ms()));
  return true;
}

Result<std::optional<OutboundMail>> OutboxService::automatic_row(store::Connection& c,
                                                                 const Ticket& ticket,
                                                                 const Mailbox& mailbox,
                                                                 std::string_view to_email,
                                                                 std::string_view to_name) {
  if (!mailable(to_email)) return std::optional<OutboundMail>{};
  GONGDAN_ASSIGN(bool ours, is_own_address(c, text::to_lower_ascii(to_email)));
  if (ours) return std::optional<OutboundMail>{};
  OutboundMail row;
  row.ticket_id = ticket.id;
  row.mailbox_id = mailbox.id;
  row.kind = "acknowledgement";
  row.message_id = new_message_id(mailbox.address);
  row.from_address = mailbox.address;
  row.to_address = std::string(to_email);
  row.to_name = std::string(to_name);
  return std::optional<OutboundMail>(std::move(row));
}

Result<void> OutboxService::on_customer_ticket(store::Connection& c, const Ticket& ticket) {
  GONGDAN_ASSIGN(auto requester, store::find_user(c, ticket.requester_id));
  if (!requester) return {};
  return acknowledge(c, ticket, requester->email, requester->name, "");
}

Result<void> OutboxService::acknowledge(store::Connection& c, const Ticket& ticket,
                                        std::string_view to_email, std::string_view to_name,
                                        std::string_view answered_message_id) {
  GONGDAN_ASSIGN(auto mailbox, sending_mailbox(c, ticket.department_id));
  if (!mailbox) return {};
  // The department's switch (or the defaults'), else the sending mailbox's own.
  GONGDAN_ASSIGN(auto ack, effective_ack_settings(c, ticket.department_id));
  if (!ack.acknowledge.value_or(mailbox->acknowledge)) return {};
  GONGDAN_ASSIGN(auto automatic, automatic_row(c, ticket, *mailbox, to_email, to_name));
  if (!automatic) return {};
  const Millis now = clock_.now_ms();
  GONGDAN_ASSIGN(auto recent, store::count_acknowledgements_since(c, to_email, now - kHourMs));
  if (recent >= settings_.max_acks_per_hour) return {};
  auto& row = *automatic;
  row.in_reply_to = std::string(answered_message_id);
  row.references = std::string(answered_message_id);
  // RFC 3834: say what happened, never quote what was sent (the templates can name the ticket
  // and the requester, not the message). The language follows the requester: Chinese for a
  // contact whose locale is zh-CN, or for a ticket written in Chinese (detected; contacts made
  // from mail have the default locale), else English.
  const std::string token = "[" + settings_.token_prefix + std::to_string(ticket.number) + "]";
  GONGDAN_ASSIGN(auto contact, store::find_user_by_email(c, to_email));
  const bool chinese = (contact && contact->user.locale.starts_with("zh")) ||
                       ticket.language.starts_with("zh") ||
                       (ticket.language.empty() && has_cjk(ticket.subject));
  FactMap facts{{"ticket.number", ticket.number},
                {"ticket.subject", ticket.subject},
                {"ticket.token", token},
                {"requester.name", std::string(to_name)},
                {"requester.email", std::string(to_email)}};
  if (contact && !contact->user.name.empty()) facts["requester.name"] = contact->user.name;
  std::string subject = text::trim(text::strip_controls(render_template(
      chinese ? ack.subject_zh : ack.subject_en, facts, EscapeContext::kPlainText)));
  if (subject.empty()) subject = ticket.subject;
  // The token keeps the customer's answer on this ticket, whatever the template says.
  if (subject.find(token) == std::string::npos) subject = token + " " + subject;
  row.subject = subject.substr(0, 2000);
  row.body = render_template(chinese ? ack.body_zh : ack.body_en, facts, EscapeContext::kPlainText);
  return enqueue(c, std::move(row), now);
}

Result<std::optional<OutgoingDelivery>> OutboxService::prepare(std::int64_t outbound_id) {
  std::optional<OutboundMail> row;
  std::map<std::int64_t, std::vector<Attachment>> files;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(row, store::find_outbound(c, outbound_id));
    if (row && row->ticket_message_id) {
      GONGDAN_ASSIGN(files, store::attachments_of_messages(c, {*row->ticket_message_id}));
    }
    return {};
  }));
  if (!row || row->status == "sent") return std::optional<OutgoingDelivery>{};
  GONGDAN_ASSIGN(auto account, mailboxes_.account(row->mailbox_id));
  if (!account || account->mailbox.smtp_host.empty())
    return fail(ErrorCode::kUnavailable, "the sending mailbox is gone or has no SMTP server");
  OutgoingDelivery d{account->smtp_server(), {}, split_references(row->bcc)};
  auto& mail = d.mail;
  mail.from_address = row->from_address;
  mail.from_name = row->from_name;
  mail.to_address = row->to_address;
  mail.to_name = row->to_name;
  mail.cc = split_references(row->cc);
  mail.subject = row->subject;
  mail.message_id = row->message_id;
  mail.in_reply_to = row->in_reply_to;
  mail.references = split_references(row->references);
  mail.text = row->body;
  mail.html = row->html;
  mail.auto_submitted = row->kind == "acknowledgement";
  mail.date_ms = row->created_at;
  if (row->ticket_message_id) {
    for (const auto& a : files[*row->ticket_message_id]) {
      GONGDAN_ASSIGN(auto bytes, files_.read(a.sha256));
      auto content_id = inline_image(mail.html, a, mail.message_id);
      mail.attachments.push_back({a.filename, a.content_type, std::move(bytes), content_id});
    }
  }
  return std::optional<OutgoingDelivery>(std::move(d));
}

Result<void> OutboxService::record_attempt(std::int64_t outbound_id, std::string_view error,
                                           bool last) {
  return record_delivery_attempt(db_, clock_.now_ms(), outbound_id, error, last,
                                 store::find_outbound, store::save_outbound_state);
}

Result<std::map<std::int64_t, OutboundMail>> OutboxService::deliveries(
    const std::vector<std::int64_t>& message_ids) {
  std::map<std::int64_t, OutboundMail> out;
  if (message_ids.empty()) return out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(out, store::outbound_of_messages(c, message_ids));
    return {};
  }));
  return out;
}

Result<std::vector<OutboundMail>> OutboxService::outbound_of_ticket(std::int64_t ticket_id,
                                                                    int limit) {
  return store::read_value(
      db_, [&](store::Connection& c) { return store::outbound_of_ticket(c, ticket_id, limit); });
}

}  // namespace gongdan::services
