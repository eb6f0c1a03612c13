// The parts `gongdan serve` is made of, one per concern, so that serve() reads as the list of
// parts being started. Each part owns what it made and undoes it when destroyed; serve() creates
// them in the order they depend on each other, so they are destroyed in reverse.
//
// Contract: built and destroyed on the thread that runs serve(); the objects they own (the
// poller, the runner, the hub) have their own threading rules.
#pragma once

#include <condition_variable>
#include <memory>
#include <stop_token>
#include <thread>

#include "api/context.hpp"
#include "api/dispatcher.hpp"
#include "api/router.hpp"
#include "channels/email/driver/imap_poller.hpp"
#include "cli/app.hpp"
#include "http/server.hpp"
#include "http/stream_hub.hpp"
#include "jobs/job_kinds.hpp"
#include "jobs/job_runner.hpp"
#include "services/kb_background.hpp"
#include "services/test_clock.hpp"
#include "services/webhook_deliveries.hpp"
#include "services/work_time_service.hpp"
#include "util/metrics.hpp"

namespace gongdan::cli {

// /metrics: the counters the HTTP layer keeps, and gauges of the database's pools and queues.
class ServerMetrics final : public store::BatchObserver {
 public:
  ServerMetrics(store::Database& db, const Clock& clock);
  ~ServerMetrics() override;
  void on_batch(std::size_t tasks) override { metrics.observe_write_batch(tasks); }

  Metrics metrics;

 private:
  store::Database& db_;
};

// IMAP polling of every active mailbox, each on its own thread.
class MailPolling {
 public:
  explicit MailPolling(App& app) : poller(*app.mailboxes, *app.mail) {}
  ~MailPolling() { poller.stop(); }
  void start() { poller.start(); }

  email::ImapPoller poller;
};

// The REST API: the handlers' context, the route table and the dispatcher in front of it.
class ApiParts {
 public:
  // `test_clock`: the server's clock when it is a test clock (its routes are added then).
  ApiParts(App& app, Metrics& metrics, MailPolling& mail, ManualClock* test_clock);

  api::Dispatcher& dispatcher() { return dispatcher_; }
  // Handle time's heartbeats: its routes here, and the live stream's "work" messages.
  services::WorkTimeService& work_time() { return work_time_; }

 private:
  api::ApiContext context_;
  services::WorkTimeService work_time_;
  std::unique_ptr<services::TestClockService> clock_control_;
  api::Router router_;
  api::Dispatcher dispatcher_;
};

// Live updates: ticket changes to agents' screens over WebSocket, and the relays that bring
// other nodes' changes, credential clears, job wakes and settings changes to this one.
class LiveUpdates {
 public:
  LiveUpdates(App& app, Metrics& metrics);
  ~LiveUpdates();

  http::StreamHub hub;

 private:
  App& app_;
};

// Background work: the job runner with every job kind (jobs/job_kinds.hpp), and the hourly
// cleaning of finished jobs.
class BackgroundWork {
 public:
  explicit BackgroundWork(App& app);
  ~BackgroundWork() { stop(); }

  Result<void> start();
  // Before the database closes: workers record their outcomes.
  void stop();

 private:
  void prune_every_hour(std::stop_token stop);

  App& app_;
  services::WebhookDeliveries webhooks_;
  jobs::JobRunner runner_;
  services::KbBackground kb_;
  std::mutex prune_mutex_;
  std::condition_variable_any prune_cv_;
  std::jthread pruner_;
};

http::ServerOptions http_options(const Config& config);

}  // namespace gongdan::cli
