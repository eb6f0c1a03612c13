#include "services/automation_actions.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "domain/template.hpp"
#include "services/cluster_events.hpp"
#include "services/kb_links.hpp"
#include "services/macros_service.hpp"
#include "services/mail_templates_service.hpp"
#include "services/resource_load.hpp"
#include "services/triggers_service.hpp"
#include "store/automation_store.hpp"
#include "store/messages_store.hpp"
#include "store/tickets_store.hpp"
#include "store/users_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

Failure action_error(std::string message, std::string field) {
  return fail(ErrorCode::kInvalidArgument, std::move(message), std::move(field));
}

// A header stays on one line whatever the values put in it.
std::string one_line(std::string s) {
  for (auto& ch : s)
    if (ch == '\r' || ch == '\n' || ch == '\t') ch = ' ';
  return s;
}

Result<void> history_line(store::Connection& c, const Ticket& t, std::string_view via,
                          std::string_view field, std::string value, Millis now) {
  TicketEvent e;
  e.ticket_id = t.id;
  e.at = now;
  e.via = std::string(via);
  e.field = std::string(field);
  e.new_value = std::move(value);
  return store::insert_event(c, e);
}

}  // namespace

// Pushes the notification to its agent's live connections once it commits, on every node.
Result<void> publish_notification(store::Connection& c, TicketEventBus* events,
                                  const Ticket& ticket, const Notification& n) {
  if (!events) return {};
  TicketChange change;
  change.type = "notification.created";
  change.ticket = ticket;
  change.notification =
      LiveNotification{n.id, n.user_id, n.ticket_number, n.kind, n.title, n.body, n.created_at};
  if (c.notifies()) {
    boost::json::object note{{"node", events->node_id()},
                             {"type", change.type},
                             {"ticket", ticket.id},
                             {"notification", n.id}};
    GONGDAN_TRY(c.notify(kTicketEventsChannel, boost::json::serialize(note)));
  }
  c.after_commit([events, change = std::move(change)] { events->publish(change); });
  return {};
}

std::optional<std::int64_t> action_id(const FactValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v))
    return *i > 0 ? std::optional(*i) : std::nullopt;
  const auto* s = std::get_if<std::string>(&v);
  return s ? text::parse_id(*s) : std::nullopt;
}

void apply_fact_changes(const FactMap& changes, const Catalog& catalog, Ticket& after, Millis now) {
  for (const auto& [field, value] : changes) {
    const std::string text = fact_to_string(value);
    if (field == "status") {
      for (const auto& s : catalog.statuses)
        if (s.active && s.name == text) {
          after.status_id = s.id;
          const bool was_solved = !is_unsolved(after.category);
          after.category = s.category;
          if (!is_unsolved(s.category) && !was_solved) after.solved_at = now;
          if (is_unsolved(s.category)) after.solved_at.reset();
        }
    } else if (field == "priority") {
      if (auto p = parse_priority(text)) after.priority = *p;
    } else if (field == "type") {
      if (auto t = parse_type(text)) after.type = *t;
    } else if (field == "department") {
      if (auto id = action_id(value); id && catalog.department(*id)) after.department_id = id;
    } else if (field == "assignee") {
      if (auto id = action_id(value)) after.assignee_id = id;
    } else if (field == "tags") {
      if (const auto* list = std::get_if<FactList>(&value)) {
        auto tags = normalize_tags(*list);
        if (tags) after.tags = std::move(*tags);
      }
    }
  }
}

Result<FactMap> template_facts(store::Connection& c, const Ticket& t, const Catalog& catalog) {
  FactMap f = ticket_facts(t, catalog, nullptr, "update");
  f["ticket.status"] = f["status"];
  if (t.department_id)
    if (const auto* d = catalog.department(*t.department_id)) f["ticket.department"] = d->name;
  GONGDAN_ASSIGN(auto requester, store::find_user(c, t.requester_id));
  if (requester) {
    f["requester.name"] = requester->name.empty() ? requester->email : requester->name;
    f["requester.email"] = requester->email;
    f["requester.language"] = requester->locale;
  }
  if (t.assignee_id) {
    GONGDAN_ASSIGN(auto assignee, store::find_user(c, *t.assignee_id));
    if (assignee) {
      f["assignee.name"] = assignee->name;
      f["assignee.email"] = assignee->email;
    }
  }
  return f;
}

Result<void> AutomationActions::check(store::Connection& c, const Action& a,
                                      const std::string& path) {
  if (const auto* mail = std::get_if<SendMailAction>(&a)) {
    auto id = action_id(mail->template_id);
    std::optional<MailTemplate> row;
    if (id) {
      GONGDAN_ASSIGN(row, load_one(c, mail_template_resource(), *id));
    }
    if (!row)
      return action_error("no mail template with id '" + mail->template_id + "'",
                          path + ".template");
  } else if (const auto* notify = std::get_if<NotifyAction>(&a)) {
    for (std::size_t i = 0; i < notify->agents.size(); ++i) {
      const auto& name = notify->agents[i];
      if (name == "assignee") continue;
      auto id = action_id(name);
      std::optional<User> user;
      if (id) {
        GONGDAN_ASSIGN(user, store::find_user(c, *id));
      }
      if (!user || !user->active || !is_agent_role(user->role))
        return action_error("'" + name + "' is not an active agent's id (or \"assignee\")",
                            fmt::format("{}.agents[{}]", path, i));
    }
  } else if (const auto* hook = std::get_if<WebhookAction>(&a)) {
    auto id = action_id(hook->webhook_id);
    bool found = false;
    if (id) {
      GONGDAN_ASSIGN(found, webhooks_.exists(c, *id));
    }
    if (!found)
      return action_error("no active webhook with id '" + hook->webhook_id + "'", path + ".id");
  } else if (const auto* macro = std::get_if<ApplyMacroAction>(&a)) {
    auto id = action_id(macro->macro_id);
    std::optional<Macro> row;
    if (id) {
      GONGDAN_ASSIGN(row, load_one(c, macro_resource(), *id));
    }
    if (!row || row->owner_id)
      return action_error("no shared macro with id '" + macro->macro_id + "'", path + ".id");
  }
  return {};
}

Result<std::optional<MacroEffect>> AutomationActions::macro(store::Connection& c,
                                                            const Catalog& catalog,
                                                            std::int64_t macro_id,
                                                            const FactMap& facts) {
  (void)catalog;
  GONGDAN_ASSIGN(auto row, load_one(c, macro_resource(), macro_id));
  if (!row || row->owner_id) return std::optional<MacroEffect>{};
  MacroEffect out;
  out.reply = row->reply;
  out.reply_internal = row->reply_internal;
  const auto& actions = row->actions;
  if (!actions.is_array() || actions.as_array().empty())
    return std::optional<MacroEffect>(std::move(out));
  // The macro's actions are rule actions: read them with the rule parser, then play them on
  // the ticket's facts as a one-rule RuleSet would.
  boost::json::object wrapper{
      {"id", "macro"},
      {"conditions",
       boost::json::object{{"all", boost::json::array{boost::json::object{
                                       {"field", "subject"}, {"operator", "present"}}}}}},
      {"actions", actions}};
  auto rule = parse_rule(wrapper);
  if (!rule) return std::optional<MacroEffect>(std::move(out));
  std::vector<Rule> rules;
  rules.push_back(std::move(*rule));
  auto set = RuleSet::create(std::move(rules));
  if (!set) return std::optional<MacroEffect>(std::move(out));
  FactMap present = facts;
  present["subject"] = std::string("x");
  out.changes = set->evaluate(present, present).changed_facts;
  out.changes.erase("subject");
  return std::optional<MacroEffect>(std::move(out));
}

Result<void> AutomationActions::carry_out(store::Connection& c, const Catalog& catalog,
                                          const Ticket& ticket, const TriggerEffect& effect,
                                          std::string_view via, std::string_view key, Millis now) {
  if (const auto* mail = std::get_if<SendMailAction>(&effect.action)) {
    auto id = action_id(mail->template_id);
    if (!id) return {};
    GONGDAN_ASSIGN(auto tmpl, load_one(c, mail_template_resource(), *id));
    if (!tmpl) return history_line(c, ticket, via, "mail_not_sent", "template_gone", now);
    std::optional<std::int64_t> to_id = mail->to == MailRecipient::kRequester
                                            ? std::optional(ticket.requester_id)
                                            : ticket.assignee_id;
    if (!to_id) return history_line(c, ticket, via, "mail_not_sent", "no_assignee", now);
    GONGDAN_ASSIGN(auto to, store::find_user(c, *to_id));
    if (!to || !to->active) return {};
    auto variant = pick_variant(*tmpl, to->locale);
    if (!variant) return {};
    GONGDAN_ASSIGN(auto facts, template_facts(c, ticket, catalog));
    // A mail to the requester links only what a customer may read.
    const auto reader =
        mail->to == MailRecipient::kRequester ? KbReader::kCustomer : KbReader::kAgent;
    const std::string text = variant->subject + "\n" + variant->body;
    GONGDAN_TRY(add_kb_link_facts(c, text, ticket, reader, site_.public_url, facts));
    GONGDAN_TRY(add_site_facts(c, text, ticket, reader, site_, facts));
    auto subject = one_line(render_template(variant->subject, facts, EscapeContext::kPlainText));
    auto body = render_template(variant->body, facts, EscapeContext::kPlainText);
    GONGDAN_ASSIGN(bool queued,
                   outbox_.automatic_mail(c, ticket, to->email, to->name, subject, body));
    // Names and addresses, no words (the desk words "not sent" reasons from their codes; a
    // template's name may hold spaces, so it comes last).
    return history_line(c, ticket, via, queued ? "mail_sent" : "mail_not_sent",
                        queued ? fmt::format("{} → {} ({})", tmpl->name, to->email, effect.rule)
                               : fmt::format("no_mailbox template={}", tmpl->name),
                        now);
  }
  if (const auto* notify = std::get_if<NotifyAction>(&effect.action)) {
    std::vector<std::int64_t> done;
    for (const auto& name : notify->agents) {
      auto id = name == "assignee" ? ticket.assignee_id : action_id(name);
      if (!id || std::ranges::find(done, *id) != done.end()) continue;
      GONGDAN_ASSIGN(auto user, store::find_user(c, *id));
      if (!user || !user->active || !is_agent_role(user->role)) continue;
      done.push_back(*id);
      Notification n;
      n.user_id = *id;
      n.ticket_id = ticket.id;
      n.ticket_number = ticket.number;
      n.kind = std::string(via);
      n.title = fmt::format("#{} {}", ticket.number, ticket.subject);
      n.body = effect.rule;
      n.created_at = now;
      GONGDAN_ASSIGN(n.id, store::insert_notification(c, n));
      GONGDAN_TRY(publish_notification(c, events_, ticket, n));
    }
    if (done.empty()) return {};
    std::string who;
    for (auto id : done) who += (who.empty() ? "" : ",") + std::to_string(id);
    return history_line(c, ticket, via, "notified", who, now);
  }
  if (const auto* hook = std::get_if<WebhookAction>(&effect.action)) {
    auto id = action_id(hook->webhook_id);
    if (!id) return {};
    GONGDAN_ASSIGN(bool queued, webhooks_.enqueue_to(c, *id, ticket, catalog, effect.rule,
                                                     fmt::format("{}-{}", key, effect.index), now));
    if (!queued) return {};
    return history_line(c, ticket, via, "webhook", hook->webhook_id, now);
  }
  return {};
}

}  // namespace gongdan::services
