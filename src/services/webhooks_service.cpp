#include "services/webhooks_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>

#include "domain/template.hpp"
#include "services/job_kinds.hpp"
#include "services/resource_load.hpp"
#include "services/webhook_target.hpp"
#include "store/webhooks_store.hpp"

namespace gongdan::services {
namespace {

namespace json = boost::json;

// The URL's syntax, checked as it is set: a bad one is refused before anything is read.
Bound<Webhook> url_field() {
  return field_of(&Webhook::url,
                  text_field("url", {"URL", "地址"},
                             {"http or https; internal addresses only when allow-listed "
                              "(webhook_allow_hosts).",
                              "http 或 https；内部地址须列入 webhook_allow_hosts。"})
                      .required()
                      .range(1, 2000),
                  [](Webhook& w) -> Result<void> {
                    GONGDAN_TRY(parse_webhook_url(w.url));
                    return {};
                  });
}

Bound<Webhook> events_field() {
  return field_of(
      &Webhook::events,
      list_field("events", {"Events", "事件"},
                 {"ticket.created, ticket.updated, message.added, sla.warning, sla.breach.",
                  "ticket.created、ticket.updated、message.added、sla.warning、sla.breach。"})
          .required()
          .separator(' '),
      [](Webhook& w) -> Result<void> {
        GONGDAN_ASSIGN(w.events, webhook_events(w.events));
        return {};
      });
}

Bound<Webhook> template_field() {
  return field_of(
      &Webhook::template_text,
      long_text_field("template", {"Message text", "消息文本"},
                      {"For the chat formats, with {{ticket.number}} and the like; empty: the "
                       "default.",
                       "用于聊天机器人格式，可用 {{ticket.number}} 等占位符；留空：默认文本。"})
          .max(4000),
      [](Webhook& w) { return check_webhook_template(w.template_text); });
}

std::vector<Bound<Webhook>> webhook_fields() {
  std::vector<std::string_view> formats(std::begin(kWebhookFormats), std::end(kWebhookFormats));
  return {
      field_of(&Webhook::id, id_field()),
      url_field(),
      field_of(&Webhook::format,
               choice_field("format", {"Format", "格式"}, formats,
                            {"json: signed JSON; the others: a chat bot's message.",
                             "json：签名的 JSON；其他：聊天机器人消息。"})),
      events_field(),
      field_of(&Webhook::department_id,
               department_field({"None: tickets of every department.", "不选：所有部门的工单。"})),
      field_of(&Webhook::secret,
               secret_field("secret", {"Signing secret", "签名密钥"},
                            {"Signs the JSON (X-Gongdan-Signature). Made for you when left empty; "
                             "shown once.",
                             "用于签名 JSON（X-Gongdan-Signature）。留空则自动生成；只显示一次。"})
                   .range(1, 200)
                   .generated()),
      template_field(),
      field_of(&Webhook::description, text_field("description", {"Description", "说明"}).max(500)),
      field_of(&Webhook::active, active_field()),
      field_of(&Webhook::created_at, time_field("created_at")),
      field_of(&Webhook::updated_at, time_field("updated_at")),
  };
}

std::string webhook_time(Millis ms) {
  using namespace std::chrono;
  const auto tp = sys_time<milliseconds>(milliseconds(ms));
  const auto secs = floor<seconds>(tp);
  const auto days = floor<std::chrono::days>(secs);
  const year_month_day ymd{days};
  const hh_mm_ss hms{secs - days};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", int(ymd.year()),
                     unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count(), ((ms % 1000) + 1000) % 1000);
}

boost::json::value id_or_null(const std::optional<std::int64_t>& id) {
  return id ? boost::json::value(*id) : boost::json::value(nullptr);
}

// The bus says message.created; subscribers know it as message.added.
std::string_view event_of(std::string_view bus_type) {
  return bus_type == "message.created" ? std::string_view("message.added") : bus_type;
}

}  // namespace

const Resource<Webhook>& webhook_resource() {
  static const Resource<Webhook> r =
      declare<Webhook>(resource_info("webhooks", "webhook", {"Webhooks", "Webhook"}, "webhooks")
                           .read_by(Audience::kAdmins)
                           .invalidates(Invalidates::kSettings)
                           .ops({.remove = true}),
                       webhook_fields());
  return r;
}

void WebhooksService::add_to(Resources& resources) {
  Hooks<Webhook> hooks;
  // The SSRF guard on the address itself (a name is checked again after it resolves, when a
  // delivery connects); an unchanged URL is not judged again by a changed allow-list.
  hooks.check = [this](store::Connection&, const Principal&, Webhook& w,
                       const Webhook* before) -> Result<void> {
    if (before && before->url == w.url) return {};
    GONGDAN_ASSIGN(auto target, parse_webhook_url(w.url));
    if (auto allowed = check_target_literal(target, allow_hosts_); !allowed) {
      auto error = std::move(allowed).error();
      if (error.field.empty()) error.field = "url";
      return fail(std::move(error));
    }
    return {};
  };
  items_ = &resources.add(webhook_resource(), std::move(hooks));
}

boost::json::object webhook_data(const Ticket& t, const std::optional<Message>& message,
                                 const Catalog& catalog) {
  boost::json::array tags;
  for (const auto& tag : t.tags) tags.emplace_back(tag);
  const auto* status = catalog.status(t.status_id);
  const auto* department = t.department_id ? catalog.department(*t.department_id) : nullptr;
  boost::json::object ticket{
      {"id", t.id},
      {"number", t.number},
      {"subject", t.subject},
      {"status", status ? status->name : std::string()},
      {"status_category", category_name(t.category)},
      {"priority", priority_name(t.priority)},
      {"type", type_name(t.type)},
      {"department_id", id_or_null(t.department_id)},
      {"department", department ? boost::json::value(department->name) : nullptr},
      {"assignee_id", id_or_null(t.assignee_id)},
      {"requester_id", t.requester_id},
      {"organization_id", id_or_null(t.organization_id)},
      {"channel", t.channel},
      {"tags", std::move(tags)},
      {"version", t.version},
      {"created_at", webhook_time(t.created_at)},
      {"updated_at", webhook_time(t.updated_at)}};
  boost::json::object data{{"ticket", std::move(ticket)}};
  if (message)
    data["message"] = boost::json::object{{"id", message->id},
                                          {"author_id", id_or_null(message->author_id)},
                                          {"internal", message->internal},
                                          {"channel", message->channel},
                                          {"body", message->body}};
  return data;
}

Result<WebhooksService::Subscriptions> WebhooksService::active_hooks(store::Connection& c) {
  return hooks_.get([&]() -> Result<Subscriptions> {
    GONGDAN_ASSIGN(auto all, load_all(c, webhook_resource()));
    std::erase_if(all, [](const Webhook& w) { return !w.active; });
    return Subscriptions{std::make_shared<const std::vector<Webhook>>(std::move(all))};
  });
}

Result<void> WebhooksService::on_change(store::Connection& c, TicketChange& change,
                                        const Catalog& catalog, Millis now) {
  const auto event = event_of(change.type);
  const std::string key = fmt::format("t{}-v{}-{}", change.ticket.id, change.ticket.version,
                                      change.message ? change.message->id : 0);
  return enqueue_for(c, event, change.ticket, change.message, catalog, key, now);
}

Result<void> WebhooksService::enqueue_event(store::Connection& c, std::string_view event,
                                            const Ticket& ticket, const Catalog& catalog,
                                            std::string_view key_suffix, Millis now) {
  return enqueue_for(c, event, ticket, std::nullopt, catalog,
                     fmt::format("t{}-{}", ticket.id, key_suffix), now);
}

Result<void> WebhooksService::enqueue_for(store::Connection& c, std::string_view event,
                                          const Ticket& ticket,
                                          const std::optional<Message>& message,
                                          const Catalog& catalog, std::string_view key,
                                          Millis now) {
  GONGDAN_ASSIGN(auto hooks, active_hooks(c));
  if (hooks->empty()) return {};
  std::optional<boost::json::object> data;
  for (const auto& hook : *hooks) {
    if (std::ranges::find(hook.events, event) == hook.events.end()) continue;
    if (hook.department_id && hook.department_id != ticket.department_id) continue;
    if (!data) data = webhook_data(ticket, message, catalog);
    NewJob job;
    job.kind = std::string(kWebhookJob);
    job.run_at = now;
    job.idempotency_key = fmt::format("wh{}-{}-{}", hook.id, event, key);
    job.payload = boost::json::serialize(boost::json::object{
        {"webhook_id", hook.id}, {"event", event}, {"at", webhook_time(now)}, {"data", *data}});
    GONGDAN_TRY(jobs_.enqueue(c, job));
  }
  return {};
}

Result<bool> WebhooksService::enqueue_to(store::Connection& c, std::int64_t webhook_id,
                                         const Ticket& ticket, const Catalog& catalog,
                                         std::string_view rule, std::string_view key, Millis now) {
  GONGDAN_ASSIGN(auto hooks, active_hooks(c));
  for (const auto& hook : *hooks) {
    if (hook.id != webhook_id) continue;
    auto data = webhook_data(ticket, std::nullopt, catalog);
    data["rule"] = rule;
    NewJob job;
    job.kind = std::string(kWebhookJob);
    job.run_at = now;
    job.idempotency_key = fmt::format("wh{}-automation-{}", hook.id, key);
    job.payload = boost::json::serialize(boost::json::object{{"webhook_id", hook.id},
                                                             {"event", "ticket.automation"},
                                                             {"at", webhook_time(now)},
                                                             {"data", std::move(data)}});
    GONGDAN_TRY(jobs_.enqueue(c, job));
    return true;
  }
  return false;
}

Result<bool> WebhooksService::exists(store::Connection& c, std::int64_t webhook_id) {
  GONGDAN_ASSIGN(auto hooks, active_hooks(c));
  return std::ranges::any_of(*hooks, [&](const auto& h) { return h.id == webhook_id; });
}

Result<std::vector<WebhookDelivery>> WebhooksService::deliveries(const Principal& who,
                                                                 std::int64_t id,
                                                                 std::int64_t before_id,
                                                                 int limit) {
  GONGDAN_TRY(items_->find(who, id));
  GONGDAN_ASSIGN(auto out, store::read_value(db_, [&](store::Connection& c) {
                   return store::list_deliveries(c, id, before_id, limit);
                 }));
  return out;
}

}  // namespace gongdan::services
