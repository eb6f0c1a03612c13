#include "domain/mail_settings.hpp"

#include <algorithm>
#include <array>

namespace gongdan {
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

void take_text(std::string& into, std::string_view from) {
  if (into.empty()) into = from;
}

}  // namespace

std::string outside_replies_from(const MailSettings* department, const MailSettings* defaults) {
  for (const auto* s : {department, defaults})
    if (s && s->outside_replies) return *s->outside_replies;
  return std::string(kOutsideNewTicket);
}

AckSettings ack_settings_from(const MailSettings* department, const MailSettings* defaults) {
  AckSettings out;
  for (const auto* s : {department, defaults}) {
    if (!s) continue;
    if (!out.acknowledge) out.acknowledge = s->acknowledge;
    take_text(out.subject_en, s->ack_subject_en);
    take_text(out.body_en, s->ack_body_en);
    take_text(out.subject_zh, s->ack_subject_zh);
    take_text(out.body_zh, s->ack_body_zh);
  }
  take_text(out.subject_en, kBuiltinAckSubject);
  take_text(out.subject_zh, kBuiltinAckSubject);
  take_text(out.body_en, kBuiltinAckBodyEn);
  take_text(out.body_zh, kBuiltinAckBodyZh);
  return out;
}

std::string signature_from(const MailSettings* department, const MailSettings* defaults) {
  if (department && !department->signature.empty()) return department->signature;
  return defaults ? defaults->signature : std::string();
}

bool is_ack_placeholder(std::string_view name) {
  return std::ranges::find(kAckPlaceholders, name) != kAckPlaceholders.end();
}

}  // namespace gongdan
