// Settings for every subcommand that touches data. Sources, lowest precedence first: built-in
// defaults, the TOML file (--config / GONGDAN_CONFIG), GONGDAN_* environment variables, flags.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace gongdan::cli {

struct Config {
  std::string data = "./data";
  std::string listen = "127.0.0.1:8080";
  std::int64_t body_limit = 1 << 20;
  std::int64_t attachment_limit = 25 << 20;
  int threads = 0;  // I/O threads; 0 = one per core
  std::string log_level = "info";
  bool access_log = false;
  int request_timeout = 30;
  std::vector<std::string> trusted_proxies;
  int login_max_failures_per_account = 5;
  int login_max_failures_per_address = 20;
  int login_window_seconds = 900;
  // Background jobs (webhook deliveries, timers): worker threads and the retry policy.
  int job_workers = 4;
  std::int64_t job_retry_base_ms = 30'000;
  std::int64_t job_retry_cap_ms = 3'600'000;
  int job_max_attempts = 10;
  // Webhooks: hosts that may resolve to private or loopback addresses, and the time limit.
  std::vector<std::string> webhook_allow_hosts;
  int webhook_timeout_seconds = 10;
};

// Values given on the command line; unset ones leave lower layers alone.
struct ConfigFlags {
  std::optional<std::string> data;
  std::optional<std::string> config;
  std::optional<std::string> listen;
  std::optional<std::int64_t> body_limit;
  std::optional<int> threads;
  std::optional<std::string> log_level;
};

Result<Config> load_config(const ConfigFlags& flags);
Result<std::pair<std::string, unsigned short>> split_listen(const std::string& listen);

}  // namespace gongdan::cli
