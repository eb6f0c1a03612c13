// Webhook subscriptions: admins choose a URL, the events (ticket.created, ticket.updated,
// message.added, …), an optional department filter and a payload format (signed JSON, or the
// WeCom / DingTalk / Feishu / Slack bot formats with a text template). Their list, reading and
// editing is the declared resource `webhooks` (services/resource_service.hpp): the URL passes
// the SSRF guard (services/webhook_target.hpp) when it is saved, and the secret is made by the
// server unless given, shown once. Every ticket command enqueues one delivery job per matching
// subscription in its own write, so a change and its deliveries commit together. Subscriptions
// are cached in memory and reloaded after a change of settings: with none configured a ticket
// command costs no extra query.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/webhook.hpp"
#include "services/directory.hpp"
#include "services/job_queue.hpp"
#include "services/principal.hpp"
#include "services/resource_service.hpp"
#include "services/shared_cache.hpp"
#include "services/store_fwd.hpp"
#include "services/ticket_hooks.hpp"

namespace gongdan::services {

const Resource<Webhook>& webhook_resource();

class WebhooksService final : public TicketHook {
 public:
  WebhooksService(store::Database& db, Directory& directory, JobQueue& jobs,
                  std::vector<std::string> allow_hosts)
      : db_(db), directory_(directory), jobs_(jobs), allow_hosts_(std::move(allow_hosts)) {}

  // Declares the resource with its checks (the URL against `allow_hosts`).
  void add_to(Resources& resources);
  // The delivery log of a subscription `who` may read (admins), newest first.
  Result<std::vector<WebhookDelivery>> deliveries(const Principal& who, std::int64_t id,
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
  using Subscriptions = std::shared_ptr<const std::vector<Webhook>>;
  Result<Subscriptions> active_hooks(store::Connection& c);
  Result<void> enqueue_for(store::Connection& c, std::string_view event, const Ticket& ticket,
                           const std::optional<Message>& message, const Catalog& catalog,
                           std::string_view key, Millis now);

  store::Database& db_;
  Directory& directory_;
  JobQueue& jobs_;
  std::vector<std::string> allow_hosts_;
  SharedCache<std::vector<Webhook>> hooks_{directory_.settings_version()};
  ResourceService* items_ = nullptr;  // set by add_to
};

// The `data` object of a delivery: the ticket (and the message, when one was added).
boost::json::object webhook_data(const Ticket& ticket, const std::optional<Message>& message,
                                 const Catalog& catalog);

}  // namespace gongdan::services
