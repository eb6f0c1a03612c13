// What triggers and time-based automations do beyond a ticket's fields, inside the write of the
// change that set them off (so they commit with it, and happen once per change):
// - send_mail: a mail template (variants per language; the recipient's language is chosen, then
//   its primary language, then the first variant), placeholders filled with the ticket's values
//   (a subject stays on one line), queued in the durable SMTP outbox;
// - notify: an in-app notification for each named agent ("assignee" means the ticket's), listed
//   by GET /api/v1/notifications;
// - webhook: one signed delivery job to the named subscription (event "ticket.automation");
// - apply_macro: a shared macro's field changes, applied to the ticket, and its reply (a note or
//   a public reply).
// Every action also leaves a line in the ticket's history. Names are checked when a rule is
// saved (check), so a typo is a 400 that says which action is wrong.
#pragma once

#include "domain/notification.hpp"
#include "domain/rule.hpp"
#include "services/directory.hpp"
#include "services/kb_links.hpp"
#include "services/outbox_service.hpp"
#include "services/ticket_events_bus.hpp"
#include "services/ticket_hooks.hpp"
#include "services/webhooks_service.hpp"

namespace gongdan::services {

// Pushes an in-app notification (already inserted) to its agent's live connections once the
// write commits, on every node.
Result<void> publish_notification(store::Connection& c, TicketEventBus* events,
                                  const Ticket& ticket, const Notification& n);

struct MacroEffect {
  FactMap changes;  // field values to apply, as a rule's set_field / tags would
  std::string reply;
  bool reply_internal = true;
};

class AutomationActions {
 public:
  // `site`: the desk's address and name, for the links and names of mail templates.
  AutomationActions(OutboxService& outbox, WebhooksService& webhooks, SiteNames site)
      : outbox_(outbox), webhooks_(webhooks), site_(std::move(site)) {}
  // Notifications are published here (after commit) to reach their agent live.
  void set_events(TicketEventBus* events) { events_ = events; }

  // The action names things that exist: a template, active agents, an active webhook, a shared
  // macro. `path` names the action in errors ("actions[2]").
  Result<void> check(store::Connection& c, const Action& action, const std::string& path);
  // A shared macro's effect on a ticket whose facts are `facts`.
  Result<std::optional<MacroEffect>> macro(store::Connection& c, const Catalog& catalog,
                                           std::int64_t macro_id, const FactMap& facts);
  // Carries out a send_mail, notify or webhook action for the stored `ticket`.
  Result<void> carry_out(store::Connection& c, const Catalog& catalog, const Ticket& ticket,
                         const TriggerEffect& effect, std::string_view via, std::string_view key,
                         Millis now);

 private:
  OutboxService& outbox_;
  WebhooksService& webhooks_;
  SiteNames site_;
  TicketEventBus* events_ = nullptr;
};

// Field changes (status by name, priority, type, department, assignee, tags) onto a ticket.
void apply_fact_changes(const FactMap& changes, const Catalog& catalog, Ticket& after, Millis now);
// The facts templates see: the rule facts plus the requester's and assignee's names and emails.
Result<FactMap> template_facts(store::Connection& c, const Ticket& ticket, const Catalog& catalog);
std::optional<std::int64_t> action_id(const FactValue& value);

}  // namespace gongdan::services
