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
  // Empty: SQLite in the data directory. Else a postgres://… URL (the data directory still
  // holds attachments, and must be shared by every node).
  std::string database;
  // PostgreSQL streaming replicas for read-only work (lists, search, reports); needs `database`.
  std::vector<std::string> database_replicas;
  // PostgreSQL only: writer connections per node, committing batches side by side.
  int database_writers = 2;
  // The encryption keys (docs/encryption.md): a key file, best kept outside the data directory
  // (empty: <data>/mail.key); or `keys`, the keys' text itself, taken from GONGDAN_KEYS only
  // (never a file a copy of the configuration could carry).
  std::string key_file;
  std::string keys;
  // Where attachment files are kept: "files" (the data directory's attachments/, which every
  // PostgreSQL node must then share) or "database" (rows of the database, so nodes share
  // nothing but PostgreSQL). `gongdan migrate-attachments` moves them between the two.
  std::string attachment_storage = "files";
  std::string listen = "127.0.0.1:8080";
  // TLS on the built-in server (docs/operations.md): PEM files, the certificate chain (server's
  // certificate first) and its private key; both or neither. SIGHUP reloads them.
  std::string tls_cert;
  std::string tls_key;
  // Strict-Transport-Security's max-age on every answer over TLS (seconds); 0 sends none.
  std::int64_t tls_hsts_max_age = 31'536'000;
  std::int64_t body_limit = 1 << 20;
  std::int64_t attachment_limit = 25 << 20;
  std::int64_t mail_limit = 64 << 20;        // largest raw message taken in (inbound API)
  std::int64_t mail_retry_base_ms = 30'000;  // first SMTP retry waits up to this long
  int mail_max_attempts = 10;                // SMTP tries before a mail is marked failed
  int mail_acks_per_hour = 3;                // acknowledgements per address per hour
  int threads = 0;                           // I/O threads; 0 = one per core
  std::string log_level = "info";
  std::string log_format = "text";  // or "json"
  bool access_log = false;
  // Off: ticket writes keep no report rollups (to measure their cost; docs/configuration.md).
  bool report_rollups = true;
  int request_timeout = 30;
  std::vector<std::string> trusted_proxies;
  // Sign-in throttling (services/auth_service.hpp): free failures per account and address,
  // the first wait after them (doubling per further failure), the per-address cap, the window.
  // `login_max_failures_per_account` is read as the old name of login_failures_before_delay.
  int login_failures_before_delay = 5;
  int login_delay_seconds = 1;
  int login_max_failures_per_address = 20;
  int login_window_seconds = 900;
  // Request bodies being read or handled at once may hold at most this many bytes together;
  // a body that does not fit gets 503 before it is read.
  std::int64_t body_memory_limit = 256LL << 20;
  // When set, GET /metrics wants `Authorization: Bearer <metrics_token>`; when empty it answers
  // only clients on a loopback address that did not come through a proxy.
  std::string metrics_token;
  // The built web app; empty = found next to the binary (see default_web_root).
  std::string web_root;
  // Where people reach this server (https://desk.example.com), for links in mail (sign-in
  // links). Empty: such links are not offered. Never taken from a request's Host header.
  std::string public_url;
  // The name the help centre (/help) shows as its title; empty: "Help Centre" / "帮助中心".
  std::string company_name;
  // Background jobs (webhook deliveries, timers): worker threads and the retry policy.
  int job_workers = 4;
  std::int64_t job_retry_base_ms = 30'000;
  std::int64_t job_retry_cap_ms = 3'600'000;
  int job_max_attempts = 10;
  std::int64_t job_retention_minutes = 7 * 24 * 60;  // finished jobs kept this long
  // Webhooks: hosts that may resolve to private or loopback addresses, and the time limit.
  std::vector<std::string> webhook_allow_hosts;
  int webhook_timeout_seconds = 10;
  // Tests only (docs/testing.md): a UTC time like 2026-01-05T09:00:00Z at which `serve`'s clock
  // starts, standing still until POST /api/v1/test/clock moves it. `serve` refuses to start
  // with it unless the command line also says --enable-test-clock (never a file or the
  // environment, so a copied configuration cannot stop a production server's clock).
  std::string test_clock;
  bool test_clock_enabled = false;
};

// Values given on the command line; unset ones leave lower layers alone.
struct ConfigFlags {
  std::optional<std::string> data;
  std::optional<std::string> database;
  std::vector<std::string> database_replicas;  // --database-replica, repeatable
  std::optional<std::string> config;
  std::optional<std::string> listen;
  std::optional<std::int64_t> body_limit;
  std::optional<int> threads;
  std::optional<std::string> log_level;
  std::optional<std::string> web_root;
  std::optional<std::string> test_clock;
  bool enable_test_clock = false;
};

Result<Config> load_config(const ConfigFlags& flags);
// `web/` beside the binary, else `../share/gongdan/web` (the package: /usr/bin/gongdan), else
// `web/dist` of the source tree the binary was built in (build/<preset>/gongdan); empty when
// none holds an index.html.
std::string default_web_root();
Result<std::pair<std::string, unsigned short>> split_listen(const std::string& listen);

}  // namespace gongdan::cli
