#include "cli/server_parts.hpp"

#include <spdlog/spdlog.h>

#include "api/assist_routes.hpp"
#include "api/help_cache.hpp"
#include "api/triage_routes.hpp"
#include "api/work_time_routes.hpp"
#include "cli/queue_metrics.hpp"
#include "services/cluster_events.hpp"
#include "store/postgres/pg_database.hpp"
#include "util/ip_range.hpp"
#include "util/process_metrics.hpp"

namespace gongdan::cli {
namespace {

api::ApiContext api_context(App& a, Metrics& metrics) {
  auto context = api::ApiContext{*a.health,
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
                                 *a.assignment,
                                 *a.macros,
                                 *a.notifications,
                                 *a.resources,
                                 *a.self,
                                 a.config.public_url};
  context.reports = a.reports.get();
  context.second_factor = a.second_factor.get();
  context.kb = a.kb.get();
  context.ldap = a.ldap.get();
  context.oidc = a.oidc.get();
  context.saml = a.saml.get();
  context.csat = a.csat.get();
  context.privacy = a.privacy.get();
  context.company_name = a.config.company_name;
  // Before the routes make their caches.
  api::HelpPageCache::set_replica_reads(!a.config.database_replicas.empty());
  return context;
}

jobs::RunnerOptions runner_options(const Config& config) {
  jobs::RunnerOptions options;
  options.workers = config.job_workers;
  options.retry.base_ms = config.job_retry_base_ms;
  options.retry.cap_ms = config.job_retry_cap_ms;
  options.retry.max_attempts = config.job_max_attempts;
  return options;
}

jobs::JobKindOptions job_kind_options(const Config& config) {
  jobs::JobKindOptions options;
  options.mail_retry.base_ms = config.mail_retry_base_ms;
  options.mail_retry.cap_ms = 3600 * 1000;  // doubling up to an hour
  options.mail_retry.max_attempts = config.mail_max_attempts;
  options.webhooks.allow_hosts = config.webhook_allow_hosts;
  options.webhooks.timeout_ms = config.webhook_timeout_seconds * 1000L;
  return options;
}

}  // namespace

ServerMetrics::ServerMetrics(store::Database& db, const Clock& clock) : db_(db) {
  db.set_batch_observer(this);
  metrics.add_collector([](std::string& out) {
    append_family(out, "gongdan_build_info", "gauge", "The running version (always 1).",
                  {{"version=\"" GONGDAN_VERSION "\"", 1}});
    append_process_metrics(out);
  });
  metrics.add_collector([&db, &clock](std::string& out) { append_queue_metrics(out, db, clock); });
  metrics.add_gauge("gongdan_db_readers_open", "Open reader connections.",
                    [&db] { return db.stats().readers_open; });
  metrics.add_gauge("gongdan_db_readers_in_use", "Reader connections lent out now.",
                    [&db] { return db.stats().readers_in_use; });
  metrics.add_gauge("gongdan_db_write_queue", "Writes waiting for the writer.",
                    [&db] { return db.stats().write_queue; });
  if (auto* pg = dynamic_cast<store::PostgresDatabase*>(&db))
    metrics.add_gauge("gongdan_db_replica_reads", "Reads served by a read replica since start.",
                      [pg] { return static_cast<double>(pg->replica_reads()); });
}

ServerMetrics::~ServerMetrics() { db_.set_batch_observer(nullptr); }

ApiParts::ApiParts(App& app, Metrics& metrics, MailPolling& mail, ManualClock* test_clock)
    : context_(api_context(app, metrics)),
      work_time_(*app.db, *app.clock, *app.directory, *app.tickets),
      dispatcher_(router_, context_) {
  context_.clock = app.clock;
  context_.metrics_token = app.config.metrics_token;
  context_.inbound = app.inbound.get();
  context_.calls = app.calls.get();
  context_.chat = app.chat.get();
  context_.poll_mailbox = [&mail](std::int64_t id) { return mail.poller.poll_now(id); };
  if (test_clock) {
    clock_control_ = std::make_unique<services::TestClockService>(*test_clock, *app.db, *app.jobs);
    context_.test_clock = clock_control_.get();
  }
  api::add_all_routes(router_, context_);
  api::add_triage_routes(router_, *app.triage);
  api::add_similar_routes(router_, *app.similar);
  api::add_assist_routes(router_, *app.assist);
  api::add_work_time_routes(router_, work_time_);
  api::add_test_clock_routes(router_, context_);
}

LiveUpdates::LiveUpdates(App& app, Metrics& metrics) : app_(app) {
  services::relay_cluster_events(*app.db, *app.events);
  services::relay_credential_evictions(*app.db, *app.credentials, app.events->node_id());
  services::relay_job_wakes(*app.db, *app.jobs);
  services::relay_settings_changes(*app.db, *app.directory, app.events->node_id());
  services::relay_kb_changes(*app.db, *app.kb, app.events->node_id());
  app.events->subscribe(
      [this](const services::TicketChange& change) { hub.on_ticket_change(change); });
  app.events->set_wanted([this] { return hub.size() > 0; });
  metrics.add_gauge("gongdan_stream_connections", "Open live-update connections.",
                    [this] { return static_cast<double>(hub.size()); });
  // Live connections hold a viewer and a credential: when either may have changed, end them;
  // a credential's eviction ends only the connections that hold it (or its user's).
  app.directory->set_on_viewers_changed([this] { hub.close_all(); });
  app.credentials->set_on_evict([this](const services::CredentialTarget& target) {
    if (target.kind == services::CredentialTarget::Kind::kUser)
      app_.directory->forget_viewer(target.id);
    if (target.end_connections) hub.close_holding(target);
  });
}

LiveUpdates::~LiveUpdates() {
  app_.directory->set_on_viewers_changed(nullptr);
  app_.credentials->set_on_evict(nullptr);
}

BackgroundWork::BackgroundWork(App& app)
    : app_(app),
      webhooks_(*app.db, *app.clock),
      runner_(*app.db, *app.clock, runner_options(app.config)),
      kb_(*app.db, *app.kb) {
  jobs::add_job_kinds(
      runner_,
      {*app.outbox, webhooks_, *app.sla, *app.assignment, *app.automations, *app.inbound, *app.ldap,
       *app.csat, *app.clock, app.triage.get(), app.kb.get(), app.retention.get(), app.assist.get(),
       app.report_mail.get(), app.report_folding.get()},
      job_kind_options(app.config));
}

Result<void> BackgroundWork::start() {
  app_.jobs->set_listener([this](Millis run_at) { runner_.wake(run_at); });
  GONGDAN_TRY(runner_.start());
  // Page views written in the background, and changes whose notice this node missed noticed.
  GONGDAN_TRY(kb_.start());
  // Report days that ended while the server was down are folded now, then once a day.
  GONGDAN_TRY(app_.report_folding->start_folding());
  // The models and the similar tickets' index load in the background now and after each
  // settings change (how a node hears of a new model), so that no request waits for them.
  app_.directory->set_on_settings_changed([&app = app_] {
    app.triage->warm();
    app.ticket_vectors->warm();
  });
  app_.triage->warm();
  app_.ticket_vectors->warm();
  pruner_ = std::jthread([this](std::stop_token stop) { prune_every_hour(stop); });
  return {};
}

void BackgroundWork::stop() {
  if (pruner_.joinable()) {
    pruner_.request_stop();
    pruner_.join();
  }
  app_.jobs->set_listener(nullptr);
  app_.directory->set_on_settings_changed(nullptr);
  runner_.stop();
  kb_.stop();  // writes the views still waiting
}

// Cleaning finished jobs: at start, then every hour. A thread of its own that sleeps, not a job,
// so the queue admins look at holds only real work.
void BackgroundWork::prune_every_hour(std::stop_token stop) {
  std::unique_lock lock(prune_mutex_);
  while (!stop.stop_requested()) {
    lock.unlock();
    auto pruned = app_.jobs->prune_finished();
    if (!pruned)
      spdlog::warn("jobs: cleaning failed: {}", pruned.error().message);
    else if (*pruned > 0)
      spdlog::info("jobs: deleted {} finished jobs", *pruned);
    lock.lock();
    prune_cv_.wait_for(lock, stop, std::chrono::hours(1), [] { return false; });
  }
}

http::ServerOptions http_options(const Config& config) {
  auto [host, port] = *split_listen(config.listen);
  http::ServerOptions options;
  options.host = host;
  options.port = port;
  options.io_threads = config.threads > 0
                           ? config.threads
                           : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.body_limit = static_cast<std::size_t>(config.body_limit);
  // Room for the file plus the multipart framing around it.
  options.upload_limit = static_cast<std::size_t>(config.attachment_limit) + (1 << 20);
  options.mail_limit = static_cast<std::size_t>(config.mail_limit);
  options.body_memory_limit = static_cast<std::size_t>(config.body_memory_limit);
  options.request_timeout = std::chrono::seconds(config.request_timeout);
  for (const auto& entry : config.trusted_proxies)  // load_config checked every entry
    if (auto range = ip::parse_range(entry)) options.trusted_proxies.push_back(*range);
  options.access_log = config.access_log;
  options.tls_cert = config.tls_cert;
  options.tls_key = config.tls_key;
  options.hsts_max_age = config.tls_hsts_max_age;
  options.web_root = config.web_root.empty() ? default_web_root() : config.web_root;
  if (options.web_root.empty())
    spdlog::info("no built web app found (run npm run build in web/); serving the API only");
  return options;
}

}  // namespace gongdan::cli
