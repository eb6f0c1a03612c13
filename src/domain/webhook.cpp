#include "domain/webhook.hpp"

#include <algorithm>
#include <string>

#include "domain/template.hpp"

namespace gongdan {

bool is_webhook_event(std::string_view event) {
  return std::ranges::find(kWebhookEvents, event) != std::end(kWebhookEvents);
}

Result<std::vector<std::string>> webhook_events(const std::vector<std::string>& given) {
  std::vector<std::string> out;
  for (const auto& e : given) {
    if (!is_webhook_event(e))
      return fail(ErrorCode::kInvalidArgument,
                  "unknown event '" + e +
                      "'; use ticket.created, ticket.updated, message.added, sla.warning or "
                      "sla.breach",
                  "events");
    if (std::ranges::find(out, e) == out.end()) out.push_back(e);
  }
  if (out.empty()) return fail(ErrorCode::kInvalidArgument, "name at least one event", "events");
  return out;
}

Result<void> check_webhook_template(std::string_view text) {
  auto issues = validate_template(text);
  if (issues.empty()) return {};
  return fail(ErrorCode::kInvalidArgument,
              "at byte " + std::to_string(issues.front().offset) + ": " + issues.front().message,
              "template");
}

}  // namespace gongdan
