// Webhook deliveries, one job per subscription and event: the payload names the subscription
// and carries the event's data; the request is built (signed JSON or a chat bot's format) and
// posted by the channel, and every try lands in the subscription's delivery log. A refused
// target (SSRF rules) goes to the dead letters at once; anything else is retried.
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <chrono>

#include "channels/webhooks/webhook_request.hpp"
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"

namespace gongdan::jobs {
namespace {

namespace json = boost::json;

struct Delivery {
  std::int64_t webhook_id = 0;
  std::string event;
  json::object data;
  std::string at;  // when the event happened, ISO 8601; may be empty
};

std::optional<Delivery> delivery_of(std::string_view payload) {
  const auto o = payload_object(payload);
  const auto* id = o ? o->if_contains("webhook_id") : nullptr;
  const auto* event = o ? o->if_contains("event") : nullptr;
  const auto* data = o ? o->if_contains("data") : nullptr;
  const auto* at = o ? o->if_contains("at") : nullptr;
  if (!id || !id->is_int64() || !event || !event->is_string() || !data || !data->is_object())
    return std::nullopt;
  return Delivery{id->get_int64(), std::string(event->get_string()), data->get_object(),
                  at && at->is_string() ? std::string(at->get_string()) : std::string()};
}

JobResult deliver(const Job& job, services::WebhookDeliveries& webhooks,
                  const channels::WebhookSenderOptions& options, const Clock& clock) {
  const auto delivery = delivery_of(job.payload);
  if (!delivery) return JobResult::dead("the job's payload is not a webhook delivery");
  auto endpoint = webhooks.endpoint(delivery->webhook_id);
  if (!endpoint) return JobResult::retry(endpoint.error().message);
  // Deleted or switched off since the event: nothing to deliver.
  if (!*endpoint) return JobResult::done();
  const auto request =
      channels::build_webhook_request(**endpoint, delivery->event, delivery->data,
                                      job.idempotency_key, delivery->at, clock.now_ms());
  const auto started = std::chrono::steady_clock::now();
  const auto outcome = channels::post_webhook(request, options, job.stopping);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
  if (job.stopping && job.stopping->load() && !outcome.status)
    return JobResult::retry("interrupted by shutdown");
  services::WebhookAttempt attempt{(*endpoint)->id, job.id,      job.idempotency_key,
                                   delivery->event, job.attempt, outcome.status,
                                   outcome.error,   took};
  if (auto logged = webhooks.record(attempt); !logged)
    spdlog::warn("webhooks: cannot log delivery {}: {}", job.idempotency_key,
                 logged.error().message);
  if (outcome.error.empty()) return JobResult::done();
  if (outcome.refused) return JobResult::dead(outcome.error);
  return JobResult::retry(outcome.error);
}

}  // namespace

void add_webhook_job(JobRunner& runner, services::WebhookDeliveries& webhooks,
                     channels::WebhookSenderOptions options, const Clock& clock) {
  channels::init_webhook_sender();
  runner.handle(std::string(services::kWebhookJob),
                [&webhooks, options = std::move(options), &clock](const Job& job) {
                  return deliver(job, webhooks, options, clock);
                });
}

}  // namespace gongdan::jobs
