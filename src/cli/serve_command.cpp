#include <spdlog/spdlog.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <stop_token>
#include <thread>

#include "api/context.hpp"
#include "api/dispatcher.hpp"
#include "api/router.hpp"
#include "api/ticket_json.hpp"
#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "http/server.hpp"
#include "http/stream_hub.hpp"
#include "jobs/job_kinds.hpp"
#include "jobs/job_runner.hpp"
#include "services/cluster_events.hpp"
#include "store/postgres/pg_database.hpp"
#include "util/crypto.hpp"
#include "util/metrics.hpp"

namespace gongdan::cli {
namespace {

class BatchMetrics final : public store::BatchObserver {
 public:
  explicit BatchMetrics(Metrics& metrics) : metrics_(metrics) {}
  void on_batch(std::size_t tasks) override { metrics_.observe_write_batch(tasks); }

 private:
  Metrics& metrics_;
};

Result<void> bootstrap_admin(App& app) {
  const char* given = std::getenv("GONGDAN_ADMIN_PASSWORD");
  std::string password = given && *given ? given : crypto::random_token(12);
  GONGDAN_ASSIGN(bool created, app.users->bootstrap_admin(password));
  if (created) {
    if (given && *given)
      std::cout << "admin account: admin@localhost (password from GONGDAN_ADMIN_PASSWORD)\n";
    else
      std::cout << "admin account: admin@localhost password: " << password << "\n"
                << "  (shown only now; change it after signing in)\n";
    std::cout.flush();
  }
  return {};
}

// The test clock when the configuration asks for one (tests only; see docs/testing.md), else
// null: the system clock.
Result<std::unique_ptr<ManualClock>> test_clock_of(const Config& config) {
  if (config.test_clock.empty()) return nullptr;
  if (!config.test_clock_enabled)
    return fail(ErrorCode::kInvalidArgument,
                "test_clock is set, which stops this server's clock (sessions would never expire "
                "and SLAs never breach); it is for tests only. Remove it, or pass "
                "--enable-test-clock to serve if this is a test.",
                "test_clock");
  auto start = api::parse_iso_time(config.test_clock, "test_clock");
  if (!start)
    return fail(ErrorCode::kInvalidArgument,
                "test_clock must be a UTC time like 2026-01-05T09:00:00Z", "test_clock");
  spdlog::warn("running on a test clock, standing at {} until POST /api/v1/test/clock moves it",
               config.test_clock);
  return std::make_unique<ManualClock>(*start);
}

int serve(const ConfigFlags& flags) {
  auto config = load_config(flags);
  if (!config) {
    std::cerr << "gongdan: " << config.error().message << "\n";
    return 2;
  }
  configure_logging(config->log_level);
  auto test_clock = test_clock_of(*config);
  if (!test_clock) {
    std::cerr << "gongdan: " << test_clock.error().message << "\n";
    return 2;
  }
  const Clock* clock = &SystemClock::instance();
  if (*test_clock) clock = test_clock->get();
  auto app = open_app(*config, *clock);
  if (!app) {
    std::cerr << "gongdan: " << app.error().message << "\n";
    return 1;
  }
  if (auto done = bootstrap_admin(**app); !done) {
    std::cerr << "gongdan: cannot create the admin account: " << done.error().message << "\n";
    return 1;
  }
  Metrics metrics;
  BatchMetrics batch_metrics(metrics);
  auto& db = *(*app)->db;
  db.set_batch_observer(&batch_metrics);
  metrics.add_gauge("gongdan_db_readers_open", "Open reader connections.",
                    [&db] { return db.stats().readers_open; });
  metrics.add_gauge("gongdan_db_readers_in_use", "Reader connections lent out now.",
                    [&db] { return db.stats().readers_in_use; });
  metrics.add_gauge("gongdan_db_write_queue", "Writes waiting for the writer.",
                    [&db] { return db.stats().write_queue; });
  if (auto* pg = dynamic_cast<store::PostgresDatabase*>(&db))
    metrics.add_gauge("gongdan_db_replica_reads", "Reads served by a read replica since start.",
                      [pg] { return static_cast<double>(pg->replica_reads()); });

  auto& a = **app;
  api::ApiContext context{db,
                          *a.auth,
                          *a.users,
                          *a.audit,
                          *a.directory,
                          *a.tickets,
                          *a.catalog,
                          *a.search,
                          *a.attachments,
                          *a.mail,
                          *a.mailboxes,
                          *a.outbox,
                          {},
                          [&metrics] { return metrics.render(); },
                          *a.jobs,
                          *a.webhooks,
                          *a.sla,
                          *a.assignment,
                          *a.triggers,
                          *a.macros,
                          *a.automations,
                          *a.mail_templates,
                          *a.resources,
                          config->public_url};
  context.clock = a.clock;
  std::unique_ptr<services::TestClockService> clock_control;
  if (*test_clock) {
    clock_control = std::make_unique<services::TestClockService>(**test_clock, db, *a.jobs);
    context.test_clock = clock_control.get();
  }
  email::ImapPoller poller(*a.mailboxes, *a.mail);
  context.poll_mailbox = [&poller](std::int64_t id) { return poller.poll_now(id); };
  api::Router router;
  api::add_all_routes(router, context);
  api::add_test_clock_routes(router, context);
  api::Dispatcher dispatcher(router, context);

  auto [host, port] = *split_listen(config->listen);
  http::ServerOptions options;
  options.host = host;
  options.port = port;
  options.io_threads = config->threads > 0
                           ? config->threads
                           : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.body_limit = static_cast<std::size_t>(config->body_limit);
  // Room for the file plus the multipart framing around it.
  options.upload_limit = static_cast<std::size_t>(config->attachment_limit) + (1 << 20);
  options.mail_limit = static_cast<std::size_t>(config->mail_limit);
  options.request_timeout = std::chrono::seconds(config->request_timeout);
  options.trusted_proxies = config->trusted_proxies;
  options.access_log = config->access_log;
  options.web_root = config->web_root.empty() ? default_web_root() : config->web_root;
  if (options.web_root.empty())
    spdlog::info("no built web app found (run npm run build in web/); serving the API only");
  http::StreamHub hub;
  services::relay_cluster_events(*a.db, *a.events);
  services::relay_credential_clears(*a.db, *a.credentials, a.events->node_id());
  services::relay_job_wakes(*a.db, *a.jobs);
  services::relay_settings_changes(*a.db, *a.directory, a.events->node_id());
  a.events->subscribe(
      [&hub](const services::TicketChange& change) { hub.on_ticket_change(change); });
  a.events->set_wanted([&hub] { return hub.size() > 0; });
  metrics.add_gauge("gongdan_stream_connections", "Open live-update connections.",
                    [&hub] { return static_cast<double>(hub.size()); });
  // Live connections hold a viewer and a credential: when either may have changed, end them.
  a.directory->set_on_viewers_changed([&hub] { hub.close_all(); });
  a.credentials->set_on_clear([&hub] { hub.close_all(); });
  jobs::RunnerOptions job_options;
  job_options.workers = config->job_workers;
  job_options.retry.base_ms = config->job_retry_base_ms;
  job_options.retry.cap_ms = config->job_retry_cap_ms;
  job_options.retry.max_attempts = config->job_max_attempts;
  jobs::JobRunner runner(db, *a.clock, job_options);
  services::WebhookDeliveries webhook_deliveries(db, *a.clock);
  jobs::JobKindOptions kind_options;
  kind_options.mail_retry.base_ms = config->mail_retry_base_ms;
  kind_options.mail_retry.max_attempts = config->mail_max_attempts;
  kind_options.webhooks.allow_hosts = config->webhook_allow_hosts;
  kind_options.webhooks.timeout_ms = config->webhook_timeout_seconds * 1000L;
  jobs::add_job_kinds(
      runner, {*a.outbox, webhook_deliveries, *a.sla, *a.assignment, *a.automations, *a.clock},
      kind_options);
  a.jobs->set_listener([&runner](Millis run_at) { runner.wake(run_at); });
  if (auto started = runner.start(); !started) {
    std::cerr << "gongdan: cannot start the job runner: " << started.error().message << "\n";
    return 1;
  }
  // Cleaning finished jobs: at start, then every hour. A thread of its own that sleeps, not a
  // job, so the queue admins look at holds only real work.
  std::mutex prune_mutex;
  std::condition_variable_any prune_cv;
  std::jthread pruner([&a, &prune_mutex, &prune_cv](std::stop_token stop) {
    std::unique_lock lock(prune_mutex);
    while (!stop.stop_requested()) {
      lock.unlock();
      auto pruned = a.jobs->prune_finished();
      if (!pruned)
        spdlog::warn("jobs: cleaning failed: {}", pruned.error().message);
      else if (*pruned > 0)
        spdlog::info("jobs: deleted {} finished jobs", *pruned);
      lock.lock();
      prune_cv.wait_for(lock, stop, std::chrono::hours(1), [] { return false; });
    }
  });
  http::Server server(options, dispatcher, metrics, hub);
  auto bound = server.listen();
  if (!bound) {
    std::cerr << "gongdan: " << bound.error().message << "\n";
    return 1;
  }
  std::cout << "gongdan listening on http://"
            << (host.find(':') != std::string::npos ? "[" + host + "]" : host) << ":" << *bound
            << std::endl;
  poller.start();  // IMAP mailboxes, each polled on its own thread
  server.run();
  poller.stop();
  pruner.request_stop();
  pruner.join();
  a.jobs->set_listener(nullptr);
  runner.stop();  // before the database closes: workers record their outcomes
  db.close();     // commits whatever is still queued
  db.set_batch_observer(nullptr);
  spdlog::info("stopped");
  return 0;
}

}  // namespace

void add_data_options(CLI::App& command, ConfigFlags& flags) {
  command.add_option("--data", flags.data, "Data directory (default ./data; GONGDAN_DATA)");
  command.add_option("--config", flags.config, "TOML configuration file (GONGDAN_CONFIG)");
  command.add_option("--database", flags.database,
                     "postgres://… URL; default: SQLite in the data directory (GONGDAN_DATABASE)");
}

void add_replica_option(CLI::App& command, ConfigFlags& flags) {
  command.add_option("--database-replica", flags.database_replicas,
                     "postgres://… URL of a read replica; repeat for several "
                     "(GONGDAN_DATABASE_REPLICAS, comma-separated)");
}

void add_serve_command(CLI::App& root, int& exit_code) {
  auto flags = std::make_shared<ConfigFlags>();
  auto* command = root.add_subcommand("serve", "Run the HTTP server (pages, API, WebSocket)");
  add_data_options(*command, *flags);
  add_replica_option(*command, *flags);
  command->add_option("--listen", flags->listen,
                      "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks one)");
  command->add_option("--body-limit", flags->body_limit, "Largest request body in bytes");
  command->add_option("--threads", flags->threads, "I/O threads (default: one per core)");
  command->add_option("--log-level", flags->log_level, "trace, debug, info, warn or error");
  command->add_option("--web-root", flags->web_root,
                      "Directory of the built web app (default: found beside the binary)");
  command->add_option("--test-clock", flags->test_clock,
                      "Tests only: start the clock at this UTC time and let it move only through "
                      "POST /api/v1/test/clock (GONGDAN_TEST_CLOCK; needs --enable-test-clock)");
  command->add_flag("--enable-test-clock", flags->enable_test_clock,
                    "Allow test_clock (tests only; never read from a file or the environment)");
  command->callback([flags, &exit_code] { exit_code = serve(*flags); });
}

}  // namespace gongdan::cli
