// A webhook subscription: where to post (a URL the SSRF guard accepted when it was saved), which
// events, tickets of which department, in which format (signed JSON, or a chat bot's text made
// from a template) and the secret that signs the JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan {

struct Webhook {
  std::int64_t id = 0;
  std::string url;
  std::string format = "json";                // json, wecom, dingtalk, feishu or slack
  std::vector<std::string> events;            // ticket.created, …: each once
  std::optional<std::int64_t> department_id;  // only tickets of this department
  std::string secret;                         // signs the JSON format (HMAC-SHA256)
  std::string template_text;                  // the chat formats' text; empty: the default
  std::string description;
  bool active = true;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// One try of posting an event to a subscription, as the delivery log shows it.
struct WebhookDelivery {
  std::int64_t id = 0;
  std::int64_t webhook_id = 0;
  std::int64_t job_id = 0;
  std::string delivery;  // the X-Gongdan-Delivery id, the same on every try
  std::string event;
  int attempt = 0;
  Millis at = 0;
  std::optional<int> status_code;  // none when no HTTP answer came
  std::string error;
  std::int64_t duration_ms = 0;
};

inline constexpr std::string_view kWebhookEvents[] = {"ticket.created", "ticket.updated",
                                                      "message.added", "sla.warning", "sla.breach"};
inline constexpr std::string_view kWebhookFormats[] = {"json", "wecom", "dingtalk", "feishu",
                                                       "slack"};
// The default text of the chat formats.
inline constexpr std::string_view kDefaultWebhookTemplate =
    "#{{ticket.number}} {{ticket.subject}} ({{ticket.status}}, {{ticket.priority}})";

bool is_webhook_event(std::string_view event);
// The events a subscription lists, each known and once, in the order given; at least one.
Result<std::vector<std::string>> webhook_events(const std::vector<std::string>& given);
// A chat format's template: text whose placeholders the template engine accepts.
Result<void> check_webhook_template(std::string_view text);

}  // namespace gongdan
