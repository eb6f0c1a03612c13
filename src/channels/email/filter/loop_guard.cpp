#include "channels/email/filter/loop_guard.hpp"

#include <string_view>

#include "util/text.hpp"

namespace gongdan::email {
namespace {

// Vacation-responder subject prefixes, compared case-insensitively.
constexpr std::string_view kAutoReplySubjects[] = {"自动回复",
                                                   "自动答复",
                                                   "自動回覆",
                                                   "自動回复",
                                                   "自动应答",
                                                   "自動回應",
                                                   "休假回复",
                                                   "out of office",
                                                   "out of the office",
                                                   "automatic reply",
                                                   "auto:",
                                                   "autoreply",
                                                   "auto-reply",
                                                   "auto reply",
                                                   "auto response",
                                                   "autoresponse",
                                                   "vacation reply",
                                                   "abwesenheitsnotiz",
                                                   "réponse automatique",
                                                   "respuesta automática",
                                                   "不在办公室"};

constexpr std::string_view kBounceSubjects[] = {"系统退信",
                                                "退信",
                                                "邮件退回",
                                                "undeliverable:",
                                                "undelivered mail returned to sender",
                                                "delivery status notification (failure)",
                                                "mail delivery failed",
                                                "returned mail:",
                                                "delivery failure",
                                                "failure notice"};

constexpr std::string_view kBounceLocalParts[] = {"mailer-daemon", "postmaster", "mail-daemon",
                                                  "mailerdaemon"};

// The token before any parameter or comment: "auto-generated (warning-timeout)" ->
// "auto-generated".
std::string first_token(std::string_view value) {
  std::string lower = text::to_lower_ascii(text::trim(value));
  std::size_t end = lower.find_first_of(" ;(\t");
  return end == std::string::npos ? lower : lower.substr(0, end);
}

bool subject_starts_with_any(std::string_view subject, const auto& prefixes) {
  std::string lower = text::to_lower_ascii(text::trim(subject));
  // "Re: 自动回复: ..." is still an auto-reply quoting one.
  for (int strip = 0; strip < 3; ++strip) {
    for (std::string_view prefix : prefixes) {
      if (std::string_view(lower).starts_with(prefix)) return true;
    }
    if (lower.starts_with("re:") || lower.starts_with("aw:")) {
      lower = text::trim(std::string_view(lower).substr(3));
    } else if (lower.starts_with("回复:") || lower.starts_with("答复:")) {
      lower = text::trim(std::string_view(lower).substr(7));
    } else if (lower.starts_with("回复：") || lower.starts_with("答复：")) {
      lower = text::trim(std::string_view(lower).substr(9));
    } else {
      break;
    }
  }
  return false;
}

bool subject_contains_any(std::string_view subject, const auto& needles) {
  std::string lower = text::to_lower_ascii(subject);
  for (std::string_view needle : needles) {
    if (lower.find(needle) != std::string::npos) return true;
  }
  return false;
}

std::string local_part(std::string_view email) {
  return text::to_lower_ascii(email.substr(0, email.find('@')));
}

void add_reason(LoopVerdict& verdict, std::string_view reason) {
  if (!verdict.reason.empty()) verdict.reason += "; ";
  verdict.reason += reason;
}

// Signs that a person did not write it: auto-submitted headers, vendors' auto-reply headers,
// vacation-responder subjects.
void mark_auto_reply(const ParsedMessage& message, LoopVerdict& verdict) {
  const LoopHeaders& loop = message.loop;
  if (loop.auto_submitted && first_token(*loop.auto_submitted) != "no" &&
      !first_token(*loop.auto_submitted).empty()) {
    verdict.auto_reply = true;
    add_reason(verdict, "Auto-Submitted: " + *loop.auto_submitted);
  }
  if (loop.x_autoreply) {
    std::string value = first_token(*loop.x_autoreply);
    if (value != "no" && value != "false" && value != "0") {
      verdict.auto_reply = true;
      add_reason(verdict, "X-Autoreply header");
    }
  }
  if (loop.x_auto_response_suppress) {
    std::string value = text::to_lower_ascii(*loop.x_auto_response_suppress);
    if (value.find("all") != std::string::npos || value.find("oof") != std::string::npos ||
        value.find("autoreply") != std::string::npos) {
      verdict.auto_reply = true;
      add_reason(verdict, "X-Auto-Response-Suppress: " + *loop.x_auto_response_suppress);
    }
  }
  for (const auto& vendor : loop.vendor_autoreply) {
    std::string value = text::to_lower_ascii(vendor.substr(vendor.find(':') + 1));
    value = text::trim(value);
    if (value == "false" || value == "no" || value == "0") continue;
    verdict.auto_reply = true;
    add_reason(verdict, vendor);
    break;
  }
  if (message.sender && message.sender->email.find("+auto_=") != std::string::npos) {
    verdict.auto_reply = true;
    add_reason(verdict, "auto-reply Sender " + message.sender->email);
  }
  if (loop.precedence && first_token(*loop.precedence) == "auto_reply") {
    verdict.auto_reply = true;
    add_reason(verdict, "Precedence: auto_reply");
  }
  if (subject_starts_with_any(message.subject, kAutoReplySubjects)) {
    verdict.auto_reply = true;
    add_reason(verdict, "vacation-responder subject");
  }
}

// Delivery reports and mailer daemons; a delayed delivery is a bounce but not a hard one.
void mark_bounce(const ParsedMessage& message, LoopVerdict& verdict) {
  const DeliveryReport& report = message.delivery;
  bool has_status = !report.action.empty() || !report.status.empty();
  if (message.is_delivery_report) {
    if (has_status || !report.original_message_id.empty()) {
      verdict.bounce = true;
      add_reason(verdict, "delivery status report");
    } else {
      verdict.auto_reply = true;  // read receipts and other reports
      add_reason(verdict, "multipart/report");
    }
  }
  if (message.return_path && message.return_path->empty()) {
    verdict.bounce = true;
    add_reason(verdict, "null Return-Path <>");
  }
  if (message.from) {
    std::string local = local_part(message.from->email);
    for (std::string_view daemon : kBounceLocalParts) {
      if (local == daemon) {
        verdict.bounce = true;
        add_reason(verdict, "sender " + message.from->email);
        break;
      }
    }
  }
  if (subject_contains_any(message.subject, kBounceSubjects)) {
    verdict.bounce = true;
    add_reason(verdict, "bounce subject");
  }
  if (verdict.bounce) {
    verdict.delivery_delayed = report.action == "delayed" || report.status.starts_with('4');
    verdict.hard_bounce =
        !verdict.delivery_delayed && (report.action == "failed" || report.status.starts_with('5'));
    if (verdict.delivery_delayed) add_reason(verdict, "delivery delayed, not failed");
  }
}

void mark_list(const LoopHeaders& loop, LoopVerdict& verdict) {
  if (loop.precedence) {
    std::string precedence = first_token(*loop.precedence);
    if (precedence == "bulk" || precedence == "junk" || precedence == "list") {
      verdict.list = true;
      add_reason(verdict, "Precedence: " + precedence);
    }
  }
  if (loop.list_id) {
    verdict.list = true;
    add_reason(verdict, "List-Id");
  }
}

}  // namespace

LoopVerdict classify_loop(const ParsedMessage& message) {
  LoopVerdict verdict;
  mark_auto_reply(message, verdict);
  mark_bounce(message, verdict);
  mark_list(message.loop, verdict);
  if (!message.from || !text::looks_like_email(message.from->email)) {
    verdict.no_valid_sender = true;
    add_reason(verdict, "no valid From address");
  }
  return verdict;
}

}  // namespace gongdan::email
