#include "cli/config.hpp"

#include "store/postgres/pg_database.hpp"

#include <toml++/toml.h>
#include <charconv>
#include <cstdlib>
#include <filesystem>

namespace gongdan::cli {
namespace {

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

template <class T>
Result<T> parse_number(const std::string& text, const char* what) {
  T value{};
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size())
    return fail(ErrorCode::kInvalidArgument, std::string(what) + " must be a number", what);
  return value;
}

Result<void> apply_file(Config& config, const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return fail(ErrorCode::kInvalidArgument,
                "cannot read config file " + path + ": " + std::string(e.description()));
  }
  for (const auto& entry : table) {
    // Named, not structured bindings: clang 14 cannot capture those in the lambdas below.
    const auto& node = entry.second;
    const std::string name(entry.first.str());
    auto wrong = [&](const char* type) {
      return fail(ErrorCode::kInvalidArgument,
                  "config key '" + name + "' in " + path + " must be " + type, name);
    };
    auto as_int = [&](auto& target) -> Result<void> {
      auto v = node.value<std::int64_t>();
      if (!v) return wrong("a whole number");
      target = static_cast<std::remove_reference_t<decltype(target)>>(*v);
      return {};
    };
    auto as_string = [&](std::string& target) -> Result<void> {
      auto v = node.value<std::string>();
      if (!v) return wrong("a string");
      target = *v;
      return {};
    };
    if (name == "data") {
      GONGDAN_TRY(as_string(config.data));
    } else if (name == "database") {
      GONGDAN_TRY(as_string(config.database));
    } else if (name == "database_replicas") {
      const auto* list = node.as_array();
      if (!list) return wrong("a list of postgres:// URLs");
      config.database_replicas.clear();
      for (const auto& item : *list) {
        auto v = item.value<std::string>();
        if (!v) return wrong("a list of postgres:// URLs");
        config.database_replicas.push_back(*v);
      }
    } else if (name == "database_writers") {
      GONGDAN_TRY(as_int(config.database_writers));
    } else if (name == "listen") {
      GONGDAN_TRY(as_string(config.listen));
    } else if (name == "log_level") {
      GONGDAN_TRY(as_string(config.log_level));
    } else if (name == "body_limit") {
      GONGDAN_TRY(as_int(config.body_limit));
    } else if (name == "attachment_limit") {
      GONGDAN_TRY(as_int(config.attachment_limit));
    } else if (name == "mail_limit") {
      GONGDAN_TRY(as_int(config.mail_limit));
    } else if (name == "mail_retry_base_ms") {
      GONGDAN_TRY(as_int(config.mail_retry_base_ms));
    } else if (name == "mail_max_attempts") {
      GONGDAN_TRY(as_int(config.mail_max_attempts));
    } else if (name == "mail_acks_per_hour") {
      GONGDAN_TRY(as_int(config.mail_acks_per_hour));
    } else if (name == "threads") {
      GONGDAN_TRY(as_int(config.threads));
    } else if (name == "request_timeout") {
      GONGDAN_TRY(as_int(config.request_timeout));
    } else if (name == "login_max_failures_per_account") {
      GONGDAN_TRY(as_int(config.login_max_failures_per_account));
    } else if (name == "login_max_failures_per_address") {
      GONGDAN_TRY(as_int(config.login_max_failures_per_address));
    } else if (name == "login_window_seconds") {
      GONGDAN_TRY(as_int(config.login_window_seconds));
    } else if (name == "web_root") {
      GONGDAN_TRY(as_string(config.web_root));
    } else if (name == "public_url") {
      GONGDAN_TRY(as_string(config.public_url));
    } else if (name == "job_workers") {
      GONGDAN_TRY(as_int(config.job_workers));
    } else if (name == "job_retry_base_ms") {
      GONGDAN_TRY(as_int(config.job_retry_base_ms));
    } else if (name == "job_retry_cap_ms") {
      GONGDAN_TRY(as_int(config.job_retry_cap_ms));
    } else if (name == "job_max_attempts") {
      GONGDAN_TRY(as_int(config.job_max_attempts));
    } else if (name == "job_retention_minutes") {
      GONGDAN_TRY(as_int(config.job_retention_minutes));
    } else if (name == "test_clock") {
      GONGDAN_TRY(as_string(config.test_clock));
    } else if (name == "webhook_timeout_seconds") {
      GONGDAN_TRY(as_int(config.webhook_timeout_seconds));
    } else if (name == "webhook_allow_hosts") {
      const auto* list = node.as_array();
      if (!list) return wrong("a list of host names or IP addresses");
      config.webhook_allow_hosts.clear();
      for (const auto& item : *list) {
        auto v = item.value<std::string>();
        if (!v || v->empty()) return wrong("a list of host names or IP addresses");
        config.webhook_allow_hosts.push_back(*v);
      }
    } else if (name == "access_log") {
      auto v = node.value<bool>();
      if (!v) return wrong("true or false");
      config.access_log = *v;
    } else if (name == "trusted_proxies") {
      const auto* list = node.as_array();
      if (!list) return wrong("a list of IP addresses");
      config.trusted_proxies.clear();
      for (const auto& item : *list) {
        auto v = item.value<std::string>();
        if (!v) return wrong("a list of IP addresses");
        config.trusted_proxies.push_back(*v);
      }
    } else {
      return fail(ErrorCode::kInvalidArgument, "unknown config key '" + name + "' in " + path,
                  name);
    }
  }
  return {};
}

// A comma-separated environment value: items trimmed of spaces, empty ones dropped.
std::vector<std::string> comma_list(std::string_view rest) {
  std::vector<std::string> out;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    auto item = rest.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return out;
}

Result<void> apply_env(Config& config) {
  if (auto v = env("GONGDAN_DATA")) config.data = *v;
  if (auto v = env("GONGDAN_DATABASE")) config.database = *v;
  if (auto v = env("GONGDAN_DATABASE_REPLICAS")) config.database_replicas = comma_list(*v);
  if (auto v = env("GONGDAN_DATABASE_WRITERS")) {
    GONGDAN_ASSIGN(config.database_writers, parse_number<int>(*v, "GONGDAN_DATABASE_WRITERS"));
  }
  if (auto v = env("GONGDAN_LISTEN")) config.listen = *v;
  if (auto v = env("GONGDAN_LOG_LEVEL")) config.log_level = *v;
  if (auto v = env("GONGDAN_WEB_ROOT")) config.web_root = *v;
  if (auto v = env("GONGDAN_PUBLIC_URL")) config.public_url = *v;
  if (auto v = env("GONGDAN_TEST_CLOCK")) config.test_clock = *v;
  if (auto v = env("GONGDAN_BODY_LIMIT")) {
    GONGDAN_ASSIGN(config.body_limit, parse_number<std::int64_t>(*v, "GONGDAN_BODY_LIMIT"));
  }
  if (auto v = env("GONGDAN_ATTACHMENT_LIMIT")) {
    GONGDAN_ASSIGN(config.attachment_limit,
                   parse_number<std::int64_t>(*v, "GONGDAN_ATTACHMENT_LIMIT"));
  }
  if (auto v = env("GONGDAN_MAIL_LIMIT")) {
    GONGDAN_ASSIGN(config.mail_limit, parse_number<std::int64_t>(*v, "GONGDAN_MAIL_LIMIT"));
  }
  if (auto v = env("GONGDAN_JOB_RETENTION_MINUTES")) {
    GONGDAN_ASSIGN(config.job_retention_minutes,
                   parse_number<std::int64_t>(*v, "GONGDAN_JOB_RETENTION_MINUTES"));
  }
  if (auto v = env("GONGDAN_MAIL_RETRY_BASE_MS")) {
    GONGDAN_ASSIGN(config.mail_retry_base_ms,
                   parse_number<std::int64_t>(*v, "GONGDAN_MAIL_RETRY_BASE_MS"));
  }
  if (auto v = env("GONGDAN_MAIL_MAX_ATTEMPTS")) {
    GONGDAN_ASSIGN(config.mail_max_attempts, parse_number<int>(*v, "GONGDAN_MAIL_MAX_ATTEMPTS"));
  }
  if (auto v = env("GONGDAN_WEBHOOK_ALLOW_HOSTS")) config.webhook_allow_hosts = comma_list(*v);
  if (auto v = env("GONGDAN_JOB_WORKERS")) {
    GONGDAN_ASSIGN(config.job_workers, parse_number<int>(*v, "GONGDAN_JOB_WORKERS"));
  }
  if (auto v = env("GONGDAN_THREADS")) {
    GONGDAN_ASSIGN(config.threads, parse_number<int>(*v, "GONGDAN_THREADS"));
  }
  return {};
}

}  // namespace

std::string default_web_root() {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  auto dir = exe.parent_path();
  for (auto candidate : {dir / "web", dir / ".." / ".." / "web" / "dist"}) {
    if (fs::is_regular_file(candidate / "index.html", ec))
      return fs::weakly_canonical(candidate, ec).string();
  }
  return {};
}

Result<std::pair<std::string, unsigned short>> split_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return fail(ErrorCode::kInvalidArgument, "listen must look like HOST:PORT", "listen");
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  GONGDAN_ASSIGN(auto port, parse_number<unsigned short>(listen.substr(colon + 1), "listen"));
  return std::pair{host, port};
}

Result<Config> load_config(const ConfigFlags& flags) {
  Config config;
  auto file = flags.config ? flags.config : env("GONGDAN_CONFIG");
  if (file) GONGDAN_TRY(apply_file(config, *file));
  GONGDAN_TRY(apply_env(config));
  if (flags.data) config.data = *flags.data;
  if (flags.database) config.database = *flags.database;
  if (!config.database.empty() && !store::is_postgres_url(config.database))
    return fail(ErrorCode::kInvalidArgument,
                "database must be a postgres:// URL (leave it unset for SQLite)", "database");
  if (!flags.database_replicas.empty()) config.database_replicas = flags.database_replicas;
  for (const auto& replica : config.database_replicas)
    if (!store::is_postgres_url(replica))
      return fail(ErrorCode::kInvalidArgument, "database_replicas must be postgres:// URLs",
                  "database_replicas");
  if (config.database_writers < 1 || config.database_writers > 64)
    return fail(ErrorCode::kInvalidArgument, "database_writers must be between 1 and 64",
                "database_writers");
  if (!config.database_replicas.empty() && config.database.empty())
    return fail(ErrorCode::kInvalidArgument,
                "database_replicas need a PostgreSQL primary: set database as well",
                "database_replicas");
  if (flags.listen) config.listen = *flags.listen;
  if (flags.body_limit) config.body_limit = *flags.body_limit;
  if (flags.threads) config.threads = *flags.threads;
  if (flags.log_level) config.log_level = *flags.log_level;
  if (flags.web_root) config.web_root = *flags.web_root;
  if (flags.test_clock) config.test_clock = *flags.test_clock;
  config.test_clock_enabled = flags.enable_test_clock;
  if (!config.public_url.empty() && !config.public_url.starts_with("https://") &&
      !config.public_url.starts_with("http://"))
    return fail(ErrorCode::kInvalidArgument,
                "public_url must start with https:// (or http://), e.g. https://desk.example.com",
                "public_url");
  if (config.body_limit < 1024)
    return fail(ErrorCode::kInvalidArgument, "body_limit must be at least 1024 bytes",
                "body_limit");
  if (config.mail_retry_base_ms < 1 || config.mail_max_attempts < 1 ||
      config.mail_acks_per_hour < 0)
    return fail(ErrorCode::kInvalidArgument,
                "mail_retry_base_ms and mail_max_attempts must be positive, mail_acks_per_hour "
                "not negative",
                "mail_retry_base_ms");
  if (config.mail_limit < 1024 || config.mail_limit > (1LL << 31))
    return fail(ErrorCode::kInvalidArgument, "mail_limit must be 1 KiB to 2 GiB", "mail_limit");
  if (config.attachment_limit < 1024 || config.attachment_limit > (1LL << 31))
    return fail(ErrorCode::kInvalidArgument, "attachment_limit must be 1 KiB to 2 GiB",
                "attachment_limit");
  if (config.threads < 0 || config.threads > 256)
    return fail(ErrorCode::kInvalidArgument, "threads must be between 0 and 256", "threads");
  if (config.job_workers < 1 || config.job_workers > 64)
    return fail(ErrorCode::kInvalidArgument, "job_workers must be between 1 and 64", "job_workers");
  if (config.job_retry_base_ms < 10 || config.job_retry_cap_ms < config.job_retry_base_ms)
    return fail(ErrorCode::kInvalidArgument,
                "job_retry_base_ms must be at least 10 and job_retry_cap_ms at least as large",
                "job_retry_base_ms");
  if (config.job_max_attempts < 1 || config.job_max_attempts > 100)
    return fail(ErrorCode::kInvalidArgument, "job_max_attempts must be between 1 and 100",
                "job_max_attempts");
  if (config.job_retention_minutes < 0 || config.job_retention_minutes > 10LL * 366 * 24 * 60)
    return fail(ErrorCode::kInvalidArgument,
                "job_retention_minutes must be between 0 and ten years of minutes",
                "job_retention_minutes");
  if (config.webhook_timeout_seconds < 1 || config.webhook_timeout_seconds > 300)
    return fail(ErrorCode::kInvalidArgument, "webhook_timeout_seconds must be between 1 and 300",
                "webhook_timeout_seconds");
  GONGDAN_TRY(split_listen(config.listen));
  return config;
}

}  // namespace gongdan::cli
