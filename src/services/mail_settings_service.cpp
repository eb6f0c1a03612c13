#include "services/mail_settings_service.hpp"

#include "domain/template.hpp"
#include "domain/ticket_access.hpp"
#include "services/mailboxes_service.hpp"
#include "services/reply_address.hpp"
#include "services/resource_load.hpp"
#include "store/database.hpp"
#include "store/mail_settings_store.hpp"
#include "store/tickets_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

// Checks a template against the placeholders acknowledgements know (signatures also know
// agent.name); validate_template knows the rules' placeholders, which are more.
Result<void> check_ack_template(const std::string& text, std::string_view field,
                                bool agent_name = false) {
  const auto known = [&](std::string_view name) {
    return is_ack_placeholder(name) || (agent_name && name == "agent.name");
  };
  for (const auto& issue : validate_template(text)) {
    if (!issue.placeholder.empty() && known(issue.placeholder)) continue;
    return fail(ErrorCode::kInvalidArgument, issue.message, std::string(field));
  }
  std::size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string::npos) {
    const auto end = text.find("}}", pos);
    if (end == std::string::npos) break;
    const std::string name = text::trim(std::string_view(text).substr(pos + 2, end - pos - 2));
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

Result<void> check(const MailSettings& s) {
  GONGDAN_TRY(check_ack_template(s.ack_subject_en, "ack_subject_en"));
  GONGDAN_TRY(check_ack_template(s.ack_subject_zh, "ack_subject_zh"));
  GONGDAN_TRY(check_ack_template(s.ack_body_en, "ack_body_en"));
  GONGDAN_TRY(check_ack_template(s.ack_body_zh, "ack_body_zh"));
  return check_ack_template(s.signature, "signature", true);
}

// An acknowledgement's subject (kText) or its text (kLongText), in one language.
FieldBuilder ack_field(std::string_view key, Words label, FieldKind kind) {
  const Words help{
      "Empty: the defaults' (last, the built-in text). Placeholders: "
      "{{ticket.number}}, {{ticket.subject}}, {{ticket.token}}, "
      "{{requester.name}}, {{requester.email}}.",
      "留空：使用默认设置（最后是内置文本）。占位符：{{ticket.number}}、"
      "{{ticket.subject}}、{{ticket.token}}、{{requester.name}}、{{requester.email}}。"};
  return kind == FieldKind::kText ? text_field(key, label, help).max(500)
                                  : long_text_field(key, label, help).max(20000);
}

// The department's settings and the defaults, as stored (either may be missing).
struct Stored {
  std::optional<MailSettings> department, defaults;
};

Result<Stored> stored_settings(store::Connection& c, std::optional<std::int64_t> department_id) {
  Stored out;
  if (department_id) {
    GONGDAN_ASSIGN(out.department, load_one(c, mail_settings_resource(), *department_id));
  }
  GONGDAN_ASSIGN(out.defaults, load_one(c, mail_settings_resource(), 0));
  return out;
}

const MailSettings* ptr(const std::optional<MailSettings>& s) { return s ? &*s : nullptr; }

Result<void> check_outside(const std::optional<std::string>& v) {
  if (v && *v != kOutsideNewTicket && *v != kOutsideFollower)
    return fail(ErrorCode::kInvalidArgument, "use new_ticket, follower or null", "outside_replies");
  return {};
}

}  // namespace

const Resource<MailSettings>& mail_settings_resource() {
  using K = FieldKind;
  static const Resource<MailSettings> r = declare<MailSettings>(
      resource_info("mail_settings", "mail_settings", {"Mail settings", "邮件设置"}, "mail")
          .path("/api/v1/mail/settings")
          .table("mail_settings")
          .order_by("department_id")
          .read_by(Audience::kAdmins)
          .ops({.create = false})
          .keyed({.by = "departments", .column = "department_id", .defaults = "default"},
                 "/api/v1/mail/settings/{department}"),
      {field_of(&MailSettings::department_id, id_field("department")),
       field_of(&MailSettings::outside_replies,
                choice_field("outside_replies", {"Replies from other addresses", "其他地址的回复"},
                             {kOutsideNewTicket, kOutsideFollower},
                             {"new_ticket: they open a ticket of their own; follower: they join "
                              "the ticket they answer. None: inherited.",
                              "new_ticket：另开新工单；follower：作为关注者加入所回复的工单。"
                              "不选：继承。"})
                    .nullable()),
       field_of(&MailSettings::acknowledge,
                switch_field("acknowledge", {"Acknowledge new tickets", "自动回执新工单"},
                             {"None: inherited, last the sending mailbox's own switch.",
                              "不选：继承，最后由发信邮箱决定。"})
                    .nullable()),
       field_of(&MailSettings::ack_subject_en,
                ack_field("ack_subject_en", {"Subject (English)", "主题（英文）"}, K::kText)),
       field_of(&MailSettings::ack_body_en,
                ack_field("ack_body_en", {"Text (English)", "正文（英文）"}, K::kLongText)),
       field_of(&MailSettings::ack_subject_zh,
                ack_field("ack_subject_zh", {"Subject (Chinese)", "主题（中文）"}, K::kText)),
       field_of(&MailSettings::ack_body_zh,
                ack_field("ack_body_zh", {"Text (Chinese)", "正文（中文）"}, K::kLongText)),
       field_of(
           &MailSettings::signature,
           long_text_field("signature", {"Signature", "签名"},
                           {"Ends every agent reply sent by mail; may also use {{agent.name}}.",
                            "附在每封客服邮件回复末尾；还可使用 {{agent.name}}。"})
               .max(2000)),
       field_of(&MailSettings::updated_at, time_field("updated_at").nullable())});
  return r;
}

Result<std::string> effective_outside_replies(store::Connection& c, const Ticket& ticket) {
  GONGDAN_ASSIGN(auto own, store::find_ticket_outside_replies(c, ticket.id));
  if (own) return *own;
  GONGDAN_ASSIGN(auto s, stored_settings(c, ticket.department_id));
  return outside_replies_from(ptr(s.department), ptr(s.defaults));
}

Result<AckSettings> effective_ack_settings(store::Connection& c,
                                           std::optional<std::int64_t> department_id) {
  GONGDAN_ASSIGN(auto s, stored_settings(c, department_id));
  return ack_settings_from(ptr(s.department), ptr(s.defaults));
}

Result<std::string> effective_signature(store::Connection& c,
                                        std::optional<std::int64_t> department_id) {
  GONGDAN_ASSIGN(auto s, stored_settings(c, department_id));
  return signature_from(ptr(s.department), ptr(s.defaults));
}

void MailSettingsService::add_to(Resources& resources) {
  resources.add(mail_settings_resource(),
                {.check = item_check<MailSettings>([](MailSettings& s) { return check(s); })});
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
