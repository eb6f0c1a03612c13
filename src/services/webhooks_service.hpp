// Webhook subscriptions: admins choose a URL, the events (ticket.created, ticket.updated,
// message.added, …), an optional department filter and a payload format (signed JSON, or the
// WeCom / DingTalk / Feishu / Slack bot formats with a text template). Every ticket command
// enqueues one delivery job per matching subscription in its own write, so a change and its
// deliveries commit together. Subscriptions are cached in memory and reloaded after an admin
// change: with none configured a ticket command costs no extra query.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "services/directory.hpp"
#include "services/job_queue.hpp"
#include "services/principal.hpp"
#include "services/shared_cache.hpp"
#include "services/ticket_hooks.hpp"
#include "store/webhooks_store.hpp"

namespace gongdan::services {

struct WebhookInput {
  std::optional<std::string> url, format, secret, template_text, description;
  std::optional<std::vector<std::string>> events;
  std::optional<std::optional<std::int64_t>> department_id;
  std::optional<bool> active;
  bool rotate_secret = false;  // replace the secret with a new random one
};

bool is_webhook_event(std::string_view event);
bool is_webhook_format(std::string_view format);
// The default text of the IM formats.
inline constexpr std::string_view kDefaultWebhookTemplate =
    "#{{ticket.number}} {{ticket.subject}} ({{ticket.status}}, {{ticket.priority}})";

class WebhooksService final : public TicketHook {
 public:
  WebhooksService(store::Database& db, const Clock& clock, Directory& directory, JobQueue& jobs,
                  std::vector<std::string> allow_hosts)
      : db_(db),
        clock_(clock),
        directory_(directory),
        jobs_(jobs),
        allow_hosts_(std::move(allow_hosts)) {}

  Result<std::vector<store::WebhookRow>> list(const Principal& who);
  Result<store::WebhookRow> get(const Principal& who, std::int64_t id);
  Result<store::WebhookRow> create(const Principal& who, const WebhookInput& in);
  Result<store::WebhookRow> update(const Principal& who, std::int64_t id, const WebhookInput& in);
  Result<void> remove(const Principal& who, std::int64_t id);
  Result<std::vector<store::DeliveryRow>> deliveries(const Principal& who, std::int64_t id,
                                                     std::int64_t before_id, int limit);

  // TicketHook: one delivery job per active subscription that wants this change.
  Result<void> on_change(store::Connection& c, TicketChange& change, const Catalog& catalog,
                         Millis now) override;
  // Enqueues deliveries of an event that is not a ticket command (sla.warning, …).
  Result<void> enqueue_event(store::Connection& c, std::string_view event, const Ticket& ticket,
                             const Catalog& catalog, std::string_view key_suffix, Millis now);

  // A trigger's or automation's webhook action: one delivery to subscription `webhook_id`
  // (whatever events it lists), event "ticket.automation", naming the rule. False when the
  // subscription is gone or inactive.
  Result<bool> enqueue_to(store::Connection& c, std::int64_t webhook_id, const Ticket& ticket,
                          const Catalog& catalog, std::string_view rule, std::string_view key,
                          Millis now);
  // Whether an active subscription has this id (a rule is checked when saved).
  Result<bool> exists(store::Connection& c, std::int64_t webhook_id);

  const std::vector<std::string>& allow_hosts() const { return allow_hosts_; }

 private:
  using Hooks = std::shared_ptr<const std::vector<store::WebhookRow>>;
  Result<Hooks> active_hooks(store::Connection& c);
  void invalidate();
  Result<void> validate(store::WebhookRow& row, const WebhookInput& in, bool creating);
  Result<void> enqueue_for(store::Connection& c, std::string_view event, const Ticket& ticket,
                           const std::optional<Message>& message, const Catalog& catalog,
                           std::string_view key, Millis now);

  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  JobQueue& jobs_;
  std::vector<std::string> allow_hosts_;
  SharedCache<std::vector<store::WebhookRow>> hooks_{directory_.settings_version()};
};

// The `data` object of a delivery: the ticket (and the message, when one was added).
boost::json::object webhook_data(const Ticket& ticket, const std::optional<Message>& message,
                                 const Catalog& catalog);

}  // namespace gongdan::services
