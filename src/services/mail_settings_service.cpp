#include "services/mail_settings_service.hpp"

#include <algorithm>
#include <array>

#include "domain/template.hpp"
#include "domain/ticket_access.hpp"
#include "services/mailboxes_service.hpp"
#include "services/reply_address.hpp"
#include "store/tickets_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

constexpr std::array<std::string_view, 5> kAckPlaceholders = {
    "ticket.number", "ticket.subject", "ticket.token", "requester.name", "requester.email"};

constexpr std::string_view kBuiltinAckSubject = "{{ticket.subject}}";
constexpr std::string_view kBuiltinAckBodyEn =
    "We have received your message and opened request {{ticket.token}}. We will answer as soon "
    "as we can.\n\nPlease keep the number in the subject when you write about this request.\n";
constexpr std::string_view kBuiltinAckBodyZh =
    "您好，我们已收到您的邮件，并为您创建了工单 {{ticket.token}}。我们会尽快答复。\n\n"
    "回复时请保留邮件主题中的编号。\n\n"
    "We have received your message and opened request {{ticket.token}}.\n";

constexpr std::size_t kMaxAckSubject = 500;
constexpr std::size_t kMaxAckBody = 20000;
constexpr std::size_t kMaxSignature = 2000;

Result<void> check_ack_template(const std::optional<std::string>& text, std::size_t max,
                                std::string_view field, bool agent_name = false) {
  const auto known = [&](std::string_view name) {
    return is_ack_placeholder(name) || (agent_name && name == "agent.name");
  };
  if (!text) return {};
  if (text->size() > max)
    return fail(ErrorCode::kInvalidArgument, "at most " + std::to_string(max) + " bytes",
                std::string(field));
  for (const auto& issue : validate_template(*text)) {
    if (!issue.placeholder.empty() && known(issue.placeholder)) continue;
    return fail(ErrorCode::kInvalidArgument, issue.message, std::string(field));
  }
  // validate_template knows the rules' placeholders; acknowledgements know fewer.
  std::size_t pos = 0;
  while ((pos = text->find("{{", pos)) != std::string::npos) {
    const auto end = text->find("}}", pos);
    if (end == std::string::npos) break;
    const std::string name = text::trim(std::string_view(*text).substr(pos + 2, end - pos - 2));
    if (!known(name))
      return fail(ErrorCode::kInvalidArgument,
                  "unknown placeholder {{" + name +
                      "}}; use ticket.number, ticket.subject, ticket.token, requester.name, "
                      "requester.email" +
                      std::string(agent_name ? " or agent.name" : ""),
                  std::string(field));
    pos = end + 2;
  }
  return {};
}

Result<void> check_outside(const std::optional<std::string>& v) {
  if (v && *v != kOutsideNewTicket && *v != kOutsideFollower)
    return fail(ErrorCode::kInvalidArgument, "use new_ticket, follower or null", "outside_replies");
  return {};
}

void take_text(std::string& into, const std::string& from) {
  if (into.empty()) into = from;
}

}  // namespace

bool is_ack_placeholder(std::string_view name) {
  return std::ranges::find(kAckPlaceholders, name) != kAckPlaceholders.end();
}

Result<std::string> effective_outside_replies(store::Connection& c, const Ticket& ticket) {
  GONGDAN_ASSIGN(auto own, store::find_ticket_outside_replies(c, ticket.id));
  if (own) return *own;
  if (ticket.department_id) {
    GONGDAN_ASSIGN(auto dept, store::find_mail_settings(c, *ticket.department_id));
    if (dept && dept->outside_replies) return *dept->outside_replies;
  }
  GONGDAN_ASSIGN(auto defaults, store::find_mail_settings(c, 0));
  if (defaults && defaults->outside_replies) return *defaults->outside_replies;
  return std::string(kOutsideNewTicket);
}

Result<AckSettings> effective_ack_settings(store::Connection& c,
                                           std::optional<std::int64_t> department_id) {
  AckSettings out;
  std::vector<store::MailSettingsRow> rows;
  if (department_id) {
    GONGDAN_ASSIGN(auto dept, store::find_mail_settings(c, *department_id));
    if (dept) rows.push_back(*dept);
  }
  GONGDAN_ASSIGN(auto defaults, store::find_mail_settings(c, 0));
  if (defaults) rows.push_back(*defaults);
  for (const auto& r : rows) {
    if (!out.acknowledge) out.acknowledge = r.acknowledge;
    take_text(out.subject_en, r.ack_subject_en);
    take_text(out.body_en, r.ack_body_en);
    take_text(out.subject_zh, r.ack_subject_zh);
    take_text(out.body_zh, r.ack_body_zh);
  }
  take_text(out.subject_en, std::string(kBuiltinAckSubject));
  take_text(out.subject_zh, std::string(kBuiltinAckSubject));
  take_text(out.body_en, std::string(kBuiltinAckBodyEn));
  take_text(out.body_zh, std::string(kBuiltinAckBodyZh));
  return out;
}

Result<std::string> effective_signature(store::Connection& c,
                                        std::optional<std::int64_t> department_id) {
  if (department_id) {
    GONGDAN_ASSIGN(auto dept, store::find_mail_settings(c, *department_id));
    if (dept && !dept->signature.empty()) return dept->signature;
  }
  GONGDAN_ASSIGN(auto defaults, store::find_mail_settings(c, 0));
  return defaults ? defaults->signature : std::string();
}

Result<std::vector<store::MailSettingsRow>> MailSettingsService::list(const Principal& who) {
  GONGDAN_TRY(require_admin(who, "see mail settings"));
  return store::read_value(db_, [](store::Connection& c) { return store::list_mail_settings(c); });
}

Result<store::MailSettingsRow> MailSettingsService::get(const Principal& who,
                                                        std::int64_t department_id) {
  GONGDAN_TRY(require_admin(who, "see mail settings"));
  if (department_id != 0) {
    GONGDAN_ASSIGN(auto catalog, directory_.catalog());
    if (!catalog->department(department_id))
      return fail(ErrorCode::kNotFound, "no such department");
  }
  GONGDAN_ASSIGN(auto row, store::read_value(db_, [&](store::Connection& c) {
                   return store::find_mail_settings(c, department_id);
                 }));
  if (row) return *row;
  store::MailSettingsRow empty;
  empty.department_id = department_id;
  return empty;
}

Result<store::MailSettingsRow> MailSettingsService::update(const Principal& who,
                                                           std::int64_t department_id,
                                                           const MailSettingsInput& in) {
  GONGDAN_ASSIGN(auto row, get(who, department_id));
  if (in.outside_replies) GONGDAN_TRY(check_outside(*in.outside_replies));
  GONGDAN_TRY(check_ack_template(in.ack_subject_en, kMaxAckSubject, "ack_subject_en"));
  GONGDAN_TRY(check_ack_template(in.ack_subject_zh, kMaxAckSubject, "ack_subject_zh"));
  GONGDAN_TRY(check_ack_template(in.ack_body_en, kMaxAckBody, "ack_body_en"));
  GONGDAN_TRY(check_ack_template(in.ack_body_zh, kMaxAckBody, "ack_body_zh"));
  GONGDAN_TRY(check_ack_template(in.signature, kMaxSignature, "signature", true));
  if (in.outside_replies) row.outside_replies = *in.outside_replies;
  if (in.acknowledge) row.acknowledge = *in.acknowledge;
  // Subjects become a header: no line breaks or control characters.
  if (in.ack_subject_en) row.ack_subject_en = text::strip_controls(*in.ack_subject_en);
  if (in.ack_subject_zh) row.ack_subject_zh = text::strip_controls(*in.ack_subject_zh);
  if (in.ack_body_en) row.ack_body_en = text::strip_controls(*in.ack_body_en, true);
  if (in.ack_body_zh) row.ack_body_zh = text::strip_controls(*in.ack_body_zh, true);
  if (in.signature) row.signature = text::strip_controls(*in.signature, true);
  row.updated_at = clock_.now_ms();
  GONGDAN_TRY(db_.write(
      [&](store::Connection& c) -> Result<void> { return store::save_mail_settings(c, row); }));
  return row;
}

Result<Ticket> MailSettingsService::agent_ticket(const Principal& who, std::int64_t number) {
  if (!who.is_agent()) return fail(ErrorCode::kNotFound, "no such ticket");
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  std::optional<Ticket> ticket;
  bool follows = false;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(ticket, store::find_ticket_by_number(c, number));
    if (ticket) {
      GONGDAN_ASSIGN(follows, store::is_follower(c, ticket->id, who.user.id));
    }
    return {};
  }));
  if (!ticket || !can_see_ticket(viewer, *ticket, follows))
    return fail(ErrorCode::kNotFound, "no such ticket");
  return *ticket;
}

Result<TicketMailSettings> MailSettingsService::ticket_settings(const Principal& who,
                                                                std::int64_t number) {
  GONGDAN_ASSIGN(auto ticket, agent_ticket(who, number));
  TicketMailSettings out;
  out.ticket_number = ticket.number;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(out.outside_replies, store::find_ticket_outside_replies(c, ticket.id));
    GONGDAN_ASSIGN(out.effective_outside_replies, effective_outside_replies(c, ticket));
    GONGDAN_ASSIGN(auto mailbox, sending_mailbox(c, ticket.department_id));
    if (mailbox && signer_ && who.user.id)
      out.reply_address =
          agent_reply_address(*signer_, mailbox->address, ticket.number, who.user.id);
    return {};
  }));
  return out;
}

Result<TicketMailSettings> MailSettingsService::set_ticket_settings(
    const Principal& who, std::int64_t number, std::optional<std::string> outside_replies) {
  GONGDAN_TRY(check_outside(outside_replies));
  GONGDAN_ASSIGN(auto ticket, agent_ticket(who, number));
  // Who gets into the conversation is a change to the ticket: light agents only add notes.
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  if (!can_edit_ticket_fields(viewer))
    return fail(ErrorCode::kPermissionDenied,
                "light agents may not change a ticket's mail settings", "outside_replies");
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    return store::save_ticket_outside_replies(c, ticket.id, outside_replies, clock_.now_ms());
  }));
  return ticket_settings(who, number);
}

}  // namespace gongdan::services
