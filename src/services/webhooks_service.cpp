#include "services/webhooks_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>

#include "domain/template.hpp"
#include "services/audit.hpp"
#include "services/job_kinds.hpp"
#include "services/webhook_target.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

constexpr std::array<std::string_view, 5> kEvents = {"ticket.created", "ticket.updated",
                                                     "message.added", "sla.warning", "sla.breach"};
constexpr std::array<std::string_view, 5> kFormats = {"json", "wecom", "dingtalk", "feishu",
                                                      "slack"};

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

bool is_webhook_event(std::string_view event) {
  return std::ranges::find(kEvents, event) != kEvents.end();
}

bool is_webhook_format(std::string_view format) {
  return std::ranges::find(kFormats, format) != kFormats.end();
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

Result<WebhooksService::Hooks> WebhooksService::active_hooks(store::Connection& c) {
  return hooks_.get([&]() -> Result<Hooks> {
    GONGDAN_ASSIGN(auto rows, store::list_webhooks(c));
    std::erase_if(rows, [](const store::WebhookRow& w) { return !w.active; });
    return Hooks{std::make_shared<const std::vector<store::WebhookRow>>(std::move(rows))};
  });
}

void WebhooksService::invalidate() { directory_.settings_changed(); }

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

Result<void> WebhooksService::validate(store::WebhookRow& row, const WebhookInput& in,
                                       bool creating) {
  if (in.url) {
    const std::string url(text::trim(*in.url));
    GONGDAN_ASSIGN(auto target, parse_webhook_url(url));
    GONGDAN_TRY(check_target_literal(target, allow_hosts_));
    row.url = url;
  } else if (creating) {
    return fail(ErrorCode::kInvalidArgument, "is required", "url");
  }
  if (in.format) {
    if (!is_webhook_format(*in.format))
      return fail(ErrorCode::kInvalidArgument,
                  "must be one of json, wecom, dingtalk, feishu, slack", "format");
    row.format = *in.format;
  }
  if (in.events) {
    std::vector<std::string> events;
    for (const auto& e : *in.events) {
      if (!is_webhook_event(e))
        return fail(ErrorCode::kInvalidArgument,
                    "unknown event '" + e +
                        "'; use ticket.created, ticket.updated, message.added, sla.warning or "
                        "sla.breach",
                    "events");
      if (std::ranges::find(events, e) == events.end()) events.push_back(e);
    }
    if (events.empty())
      return fail(ErrorCode::kInvalidArgument, "name at least one event", "events");
    row.events = std::move(events);
  } else if (creating) {
    return fail(ErrorCode::kInvalidArgument, "is required", "events");
  }
  if (in.department_id) {
    if (*in.department_id) {
      GONGDAN_ASSIGN(auto catalog, directory_.catalog());
      if (!catalog->department(**in.department_id))
        return fail(ErrorCode::kInvalidArgument, "no such department", "department");
    }
    row.department_id = *in.department_id;
  }
  if (in.secret) {
    if (in.secret->empty() || in.secret->size() > 200 || !text::is_valid_utf8(*in.secret))
      return fail(ErrorCode::kInvalidArgument, "must be 1 to 200 bytes", "secret");
    row.secret = *in.secret;
  } else if (creating || in.rotate_secret) {
    row.secret = crypto::random_token(32);
  }
  if (in.template_text) {
    if (in.template_text->size() > 4000 || !text::is_valid_utf8(*in.template_text))
      return fail(ErrorCode::kInvalidArgument, "must be at most 4000 bytes of text", "template");
    auto issues = validate_template(*in.template_text);
    if (!issues.empty())
      return fail(ErrorCode::kInvalidArgument,
                  fmt::format("at byte {}: {}", issues.front().offset, issues.front().message),
                  "template");
    row.template_text = *in.template_text;
  }
  if (in.description) {
    if (in.description->size() > 500 || !text::is_valid_utf8(*in.description))
      return fail(ErrorCode::kInvalidArgument, "must be at most 500 bytes of text", "description");
    row.description = text::strip_controls(*in.description);
  }
  if (in.active) row.active = *in.active;
  return {};
}

Result<std::vector<store::WebhookRow>> WebhooksService::list(const Principal& who) {
  GONGDAN_TRY(require_admin(who, "manage webhooks"));
  GONGDAN_ASSIGN(auto out, store::read_value(
                               db_, [&](store::Connection& c) { return store::list_webhooks(c); }));
  return out;
}

Result<store::WebhookRow> WebhooksService::get(const Principal& who, std::int64_t id) {
  GONGDAN_TRY(require_admin(who, "manage webhooks"));
  GONGDAN_ASSIGN(auto row, store::read_value(db_, [&](store::Connection& c) {
                   return store::find_webhook(c, id);
                 }));
  if (!row) return fail(ErrorCode::kNotFound, "no such webhook");
  return *row;
}

Result<store::WebhookRow> WebhooksService::create(const Principal& who, const WebhookInput& in) {
  GONGDAN_TRY(require_admin(who, "manage webhooks"));
  store::WebhookRow row;
  GONGDAN_TRY(validate(row, in, true));
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    row.created_at = row.updated_at = clock_.now_ms();
    GONGDAN_ASSIGN(row.id, store::insert_webhook(c, row));
    return record_audit(c, row.created_at, actor_id(who), "webhook.create",
                        "webhook:" + std::to_string(row.id), who.ip);
  }));
  invalidate();
  return row;
}

Result<store::WebhookRow> WebhooksService::update(const Principal& who, std::int64_t id,
                                                  const WebhookInput& in) {
  GONGDAN_ASSIGN(auto row, get(who, id));
  GONGDAN_TRY(validate(row, in, false));
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    row.updated_at = clock_.now_ms();
    GONGDAN_ASSIGN(bool saved, store::update_webhook(c, row));
    if (!saved) return fail(ErrorCode::kNotFound, "no such webhook");
    return record_audit(c, row.updated_at, actor_id(who), "webhook.update",
                        "webhook:" + std::to_string(row.id), who.ip);
  }));
  invalidate();
  return row;
}

Result<void> WebhooksService::remove(const Principal& who, std::int64_t id) {
  GONGDAN_TRY(require_admin(who, "manage webhooks"));
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(bool removed, store::delete_webhook(c, id));
    if (!removed) return fail(ErrorCode::kNotFound, "no such webhook");
    return record_audit(c, clock_.now_ms(), actor_id(who), "webhook.delete",
                        "webhook:" + std::to_string(id), who.ip);
  }));
  invalidate();
  return {};
}

Result<std::vector<store::DeliveryRow>> WebhooksService::deliveries(const Principal& who,
                                                                    std::int64_t id,
                                                                    std::int64_t before_id,
                                                                    int limit) {
  GONGDAN_TRY(get(who, id));
  GONGDAN_ASSIGN(auto out, store::read_value(db_, [&](store::Connection& c) {
                   return store::list_deliveries(c, id, before_id, limit);
                 }));
  return out;
}

}  // namespace gongdan::services
