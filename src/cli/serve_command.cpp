// `gongdan serve`: the server, as the list of its parts (cli/server_parts.hpp) being started.
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>

#include "api/ticket_json.hpp"
#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "cli/logging.hpp"
#include "cli/server_parts.hpp"
#include "cli/systemd_notify.hpp"
#include "http/server.hpp"
#include "util/crypto.hpp"

namespace gongdan::cli {
namespace {

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
  if (!config) return command_failed(config.error().message, 2);
  configure_logging(config->log_level, config->log_format);
  auto test_clock = test_clock_of(*config);
  if (!test_clock) return command_failed(test_clock.error().message, 2);
  ManualClock* manual = test_clock->get();
  const Clock& clock = manual ? static_cast<const Clock&>(*manual) : SystemClock::instance();
  auto app = open_app(*config, clock);
  if (!app) return command_failed(app.error().message);
  if (auto done = bootstrap_admin(**app); !done) {
    std::cerr << "gongdan: cannot create the admin account: " << done.error().message << "\n";
    return 1;
  }
  auto& a = **app;
  ServerMetrics metrics(*a.db, *a.clock);
  MailPolling mail(a);
  ApiParts api(a, metrics.metrics, mail, manual);
  LiveUpdates live(a, metrics.metrics);
  live.hub.set_work_time(&api.work_time());
  BackgroundWork work(a);
  if (auto started = work.start(); !started) {
    std::cerr << "gongdan: cannot start the job runner: " << started.error().message << "\n";
    return 1;
  }
  const auto options = http_options(*config);
  http::Server server(options, api.dispatcher(), metrics.metrics, live.hub);
  auto bound = server.listen();
  if (!bound) return command_failed(bound.error().message);
  const auto url =
      (server.serves_tls() ? "https://" : "http://") +
      (options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host) +
      ":" + std::to_string(*bound);
  std::cout << "gongdan listening on " << url << std::endl;
  notify_systemd("READY=1\nSTATUS=listening on " + url);
  mail.start();
  server.run();
  notify_systemd("STOPPING=1");
  mail.poller.stop();
  work.stop();    // before the database closes: workers record their outcomes
  a.db->close();  // commits whatever is still queued
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

int command_failed(std::string_view message, int status) {
  std::cerr << "gongdan: " << message << "\n";
  return status;
}

int exit_status_of(const Result<int>& done) {
  if (done) return *done;
  return command_failed(done.error().message);
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
