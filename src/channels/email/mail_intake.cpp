#include "channels/email/mail_intake.hpp"

#include <spdlog/spdlog.h>
#include <time.h>

#include "channels/email/filter/body_text.hpp"
#include "channels/email/filter/loop_guard.hpp"
#include "channels/email/filter/quote_folding.hpp"
#include "channels/email/filter/ticket_token.hpp"
#include "markup/html_sanitizer.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::email {
namespace {

// CPU time of this thread: the parse budget is about work done, not about a busy machine.
std::int64_t thread_cpu_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

std::string join_text(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + "\n" + b;
}

services::InboundMail to_inbound(ParsedMessage&& p, std::string_view raw,
                                 std::optional<std::int64_t> department_id,
                                 const IntakeOptions& options) {
  services::InboundMail in;
  // A message without a Message-ID gets one from its bytes, so a retried delivery of the very
  // same bytes is still recognised.
  in.message_id = p.message_id.empty()
                      ? "sha256-" + crypto::sha256_hex(raw).substr(0, 40) + "@gongdan.invalid"
                      : p.message_id;
  if (!p.in_reply_to.empty()) in.thread_ids.push_back(p.in_reply_to);
  for (auto it = p.references.rbegin(); it != p.references.rend(); ++it)
    if (*it != p.in_reply_to) in.thread_ids.push_back(*it);
  if (p.is_delivery_report && !p.delivery.original_message_id.empty())
    in.thread_ids.push_back(p.delivery.original_message_id);  // a bounce joins its ticket
  in.token_number = find_ticket_token(p.subject, options.token_prefix);
  if (p.from) {
    in.from_email = text::trim(p.from->email);
    in.from_name = p.from->name;
  }
  in.subject = p.subject;
  for (const auto* list : {&p.to, &p.cc})
    for (const auto& a : *list) in.recipients.push_back(text::trim(a.email));
  for (const auto& a : p.cc) in.cc.emplace_back(text::trim(a.email), a.name);
  const auto verdict = classify_loop(p);
  in.may_open_ticket = verdict.may_open_ticket();
  in.may_auto_reply = verdict.may_auto_reply();
  in.bounce = verdict.bounce;
  if (p.is_delivery_report) {
    in.bounce_report = p.delivery.status;
    if (!p.delivery.diagnostic.empty())
      in.bounce_report += (in.bounce_report.empty() ? "" : " ") + p.delivery.diagnostic;
    if (in.bounce_report.empty()) in.bounce_report = p.delivery.action;
  }
  in.flags = verdict.reason;
  for (const auto& w : p.warnings) in.flags += (in.flags.empty() ? "" : "; ") + w;

  std::string text = body_text(p);
  const FoldedText folded = fold_quotes(text);
  in.full_text = std::move(text);
  in.text = join_text(folded.body, folded.signature);
  in.quoted_text = folded.quoted;
  if (!p.html_body.empty()) {
    const FoldedHtml html = fold_quotes_html(p.html_body);
    in.html = markup::sanitize_html(html.body);
    in.quoted_html = html.quoted.empty() ? std::string() : markup::sanitize_html(html.quoted);
  }
  for (auto& a : p.attachments)
    in.attachments.push_back(
        {a.filename, a.content_type, a.content_id, a.is_inline, std::move(a.bytes)});
  in.raw = std::string(raw);
  in.department_id = department_id;
  return in;
}

}  // namespace

Result<services::MailOutcome> MailIntake::process(std::string_view raw,
                                                  std::optional<std::int64_t> department_id,
                                                  bool trusted) {
  const auto started = thread_cpu_ms();
  GONGDAN_ASSIGN(auto parsed, parse_message(raw, options_.limits));
  const auto spent = thread_cpu_ms() - started;
  if (spent > options_.max_parse_cpu_ms)
    return fail(ErrorCode::kPayloadTooLarge,
                "parsing took " + std::to_string(spent) + " ms of CPU time (limit " +
                    std::to_string(options_.max_parse_cpu_ms) + " ms)");
  if (!parsed.from || !text::looks_like_email(text::trim(parsed.from->email)))
    return fail(ErrorCode::kInvalidArgument, "the message has no usable From address", "from");
  const auto helpdesk = parsed.helpdesk_headers;
  auto inbound = to_inbound(std::move(parsed), raw, department_id, options_);
  if (trusted) {
    for (const auto& h : helpdesk) inbound.trusted_headers.emplace_back(h.name, h.value);
  } else if (!helpdesk.empty()) {
    inbound.flags += std::string(inbound.flags.empty() ? "" : "; ") +
                     "help-desk headers ignored (the mailbox is not trusted)";
  }
  return service_.deliver(std::move(inbound));
}

Result<IntakeOutcome> MailIntake::ingest(std::string_view raw,
                                         std::optional<std::int64_t> department_id, bool trusted) {
  auto delivered = process(raw, department_id, trusted);
  IntakeOutcome out;
  if (delivered) {
    out.status = delivered->result == services::MailResult::kCreated ? "created"
                 : delivered->result == services::MailResult::kAdded ? "added"
                                                                     : "duplicate";
    out.ticket_number = delivered->ticket_number;
    out.message_id = delivered->message_id;
    return out;
  }
  if (delivered.error().code == ErrorCode::kUnavailable) return fail(delivered.error());
  out.status = "quarantined";
  out.reason = delivered.error().message;
  spdlog::warn("mail quarantined: {}", out.reason);
  GONGDAN_ASSIGN(out.quarantine_id, service_.quarantine(raw, department_id, out.reason));
  return out;
}

Result<IntakeOutcome> MailIntake::retry(const services::Principal& who,
                                        std::int64_t quarantine_id) {
  GONGDAN_ASSIGN(auto held, service_.quarantined(who, quarantine_id, true));
  if (held.row.status == "released")
    return fail(ErrorCode::kConflict, "this message was already released onto a ticket");
  // A retry never trusts help-desk headers: the quarantine does not keep where mail came from.
  auto delivered = process(held.raw, held.row.department_id, false);
  IntakeOutcome out;
  out.quarantine_id = quarantine_id;
  if (!delivered) {
    out.status = "quarantined";
    out.reason = delivered.error().message;
    GONGDAN_TRY(service_.record_retry(quarantine_id, std::nullopt, out.reason));
    return out;
  }
  out.status = delivered->result == services::MailResult::kCreated ? "created"
               : delivered->result == services::MailResult::kAdded ? "added"
                                                                   : "duplicate";
  out.ticket_number = delivered->ticket_number;
  out.message_id = delivered->message_id;
  std::optional<std::int64_t> ticket_ref = delivered->ticket_number;
  GONGDAN_TRY(service_.record_retry(quarantine_id, ticket_ref, {}));
  return out;
}

}  // namespace gongdan::email
