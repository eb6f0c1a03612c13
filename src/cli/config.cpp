#include "cli/config.hpp"

#include "store/postgres/pg_database.hpp"
#include "util/ip_range.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <variant>

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

using SettingField = std::variant<std::string Config::*, int Config::*, std::int64_t Config::*,
                                  bool Config::*, std::vector<std::string> Config::*>;
enum class From { kFile, kFileAndEnvironment };

// A key of the config file; with kFileAndEnvironment also GONGDAN_<KEY>.
struct Setting {
  std::string_view key;
  SettingField field;
  From from = From::kFile;
  const char* list_of = "";  // a list's items, as its error message names them
  bool items_nonempty = false;
};

// Every setting the file and the environment know, in the order the environment is read (the
// first bad value is the one reported). Command-line flags are load_config's.
const Setting kSettings[] = {
    {"data", &Config::data, From::kFileAndEnvironment},
    {"database", &Config::database, From::kFileAndEnvironment},
    {"database_replicas", &Config::database_replicas, From::kFileAndEnvironment,
     "a list of postgres:// URLs"},
    {"database_writers", &Config::database_writers, From::kFileAndEnvironment},
    {"key_file", &Config::key_file, From::kFileAndEnvironment},
    {"attachment_storage", &Config::attachment_storage, From::kFileAndEnvironment},
    {"listen", &Config::listen, From::kFileAndEnvironment},
    {"tls_cert", &Config::tls_cert, From::kFileAndEnvironment},
    {"tls_key", &Config::tls_key, From::kFileAndEnvironment},
    {"tls_hsts_max_age", &Config::tls_hsts_max_age, From::kFileAndEnvironment},
    {"log_level", &Config::log_level, From::kFileAndEnvironment},
    {"log_format", &Config::log_format, From::kFileAndEnvironment},
    {"web_root", &Config::web_root, From::kFileAndEnvironment},
    {"public_url", &Config::public_url, From::kFileAndEnvironment},
    {"company_name", &Config::company_name, From::kFileAndEnvironment},
    {"test_clock", &Config::test_clock, From::kFileAndEnvironment},
    {"body_limit", &Config::body_limit, From::kFileAndEnvironment},
    {"attachment_limit", &Config::attachment_limit, From::kFileAndEnvironment},
    {"mail_limit", &Config::mail_limit, From::kFileAndEnvironment},
    {"job_retention_minutes", &Config::job_retention_minutes, From::kFileAndEnvironment},
    {"mail_retry_base_ms", &Config::mail_retry_base_ms, From::kFileAndEnvironment},
    {"mail_max_attempts", &Config::mail_max_attempts, From::kFileAndEnvironment},
    {"webhook_allow_hosts", &Config::webhook_allow_hosts, From::kFileAndEnvironment,
     "a list of host names or IP addresses", true},
    {"job_workers", &Config::job_workers, From::kFileAndEnvironment},
    {"threads", &Config::threads, From::kFileAndEnvironment},
    {"body_memory_limit", &Config::body_memory_limit, From::kFileAndEnvironment},
    {"metrics_token", &Config::metrics_token, From::kFileAndEnvironment},
    {"report_rollups", &Config::report_rollups, From::kFileAndEnvironment},
    {"mail_acks_per_hour", &Config::mail_acks_per_hour},
    {"request_timeout", &Config::request_timeout},
    {"login_failures_before_delay", &Config::login_failures_before_delay},
    // The old name of login_failures_before_delay, from when failures locked the account.
    {"login_max_failures_per_account", &Config::login_failures_before_delay},
    {"login_delay_seconds", &Config::login_delay_seconds},
    {"login_max_failures_per_address", &Config::login_max_failures_per_address},
    {"login_window_seconds", &Config::login_window_seconds},
    {"job_retry_base_ms", &Config::job_retry_base_ms},
    {"job_retry_cap_ms", &Config::job_retry_cap_ms},
    {"job_max_attempts", &Config::job_max_attempts},
    {"webhook_timeout_seconds", &Config::webhook_timeout_seconds},
    {"access_log", &Config::access_log},
    {"trusted_proxies", &Config::trusted_proxies, From::kFileAndEnvironment,
     "a list of IP addresses or CIDR ranges"},
};

// One value of the file into its member; a value of the wrong type names the key and the type.
Result<void> apply_file_value(Config& config, const Setting& setting, const toml::node& node,
                              const std::string& path) {
  const std::string name(setting.key);
  auto wrong = [&](const char* type) {
    return fail(ErrorCode::kInvalidArgument,
                "config key '" + name + "' in " + path + " must be " + type, name);
  };
  return std::visit(
      [&]<class T>(T Config::*member) -> Result<void> {
        T& target = config.*member;
        if constexpr (std::is_same_v<T, std::string>) {
          auto v = node.value<std::string>();
          if (!v) return wrong("a string");
          target = *v;
        } else if constexpr (std::is_same_v<T, bool>) {
          auto v = node.value<bool>();
          if (!v) return wrong("true or false");
          target = *v;
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          const auto* list = node.as_array();
          if (!list) return wrong(setting.list_of);
          target.clear();
          for (const auto& item : *list) {
            auto v = item.value<std::string>();
            if (!v || (setting.items_nonempty && v->empty())) return wrong(setting.list_of);
            target.push_back(*v);
          }
        } else {
          auto v = node.value<std::int64_t>();
          if (!v) return wrong("a whole number");
          target = static_cast<T>(*v);
        }
        return {};
      },
      setting.field);
}

Result<void> apply_file(Config& config, const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return fail(ErrorCode::kInvalidArgument,
                "cannot read config file " + path + ": " + std::string(e.description()));
  }
  for (const auto& [key, node] : table) {
    auto setting = std::ranges::find(kSettings, key.str(), &Setting::key);
    if (setting == std::end(kSettings)) {
      const std::string name(key.str());
      return fail(ErrorCode::kInvalidArgument, "unknown config key '" + name + "' in " + path,
                  name);
    }
    GONGDAN_TRY(apply_file_value(config, *setting, node, path));
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

// GONGDAN_<KEY>, when set and not empty, into its member; numbers must be whole.
Result<void> apply_env_value(Config& config, const Setting& setting) {
  std::string name = "GONGDAN_";
  for (char c : setting.key) name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto value = env(name.c_str());
  if (!value) return {};
  return std::visit(
      [&]<class T>(T Config::*member) -> Result<void> {
        T& target = config.*member;
        if constexpr (std::is_same_v<T, std::string>) {
          target = *value;
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          target = comma_list(*value);
        } else if constexpr (std::is_same_v<T, bool>) {
          if (*value != "true" && *value != "false")
            return fail(ErrorCode::kInvalidArgument, name + " must be true or false", name);
          target = *value == "true";
        } else {
          GONGDAN_ASSIGN(target, parse_number<T>(*value, name.c_str()));
        }
        return {};
      },
      setting.field);
}

Result<void> apply_env(Config& config) {
  for (const auto& setting : kSettings)
    if (setting.from == From::kFileAndEnvironment) GONGDAN_TRY(apply_env_value(config, setting));
  return {};
}

}  // namespace

std::string default_web_root() {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  auto dir = exe.parent_path();
  // Beside the binary; the package's /usr/share/gongdan/web for /usr/bin/gongdan; the tree's.
  for (auto candidate : {dir / "web", dir / ".." / "share" / "gongdan" / "web",
                         dir / ".." / ".." / "web" / "dist"}) {
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

namespace {

// The database flags over the file's, checked: PostgreSQL URLs, writers, replicas.
Result<void> apply_database(Config& config, const ConfigFlags& flags) {
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
  return {};
}

// The other flags, over the file's and the environment's.
void apply_flags(Config& config, const ConfigFlags& flags) {
  if (flags.listen) config.listen = *flags.listen;
  if (flags.body_limit) config.body_limit = *flags.body_limit;
  if (flags.threads) config.threads = *flags.threads;
  if (flags.log_level) config.log_level = *flags.log_level;
  if (flags.web_root) config.web_root = *flags.web_root;
  if (flags.test_clock) config.test_clock = *flags.test_clock;
  config.test_clock_enabled = flags.enable_test_clock;
}

// The public address and the limits of bodies, mail, threads, jobs, webhooks and sign-in.
Result<void> check_limits(const Config& config) {
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
  if (config.login_failures_before_delay < 1 || config.login_delay_seconds < 1 ||
      config.login_max_failures_per_address < 1 || config.login_window_seconds < 1)
    return fail(ErrorCode::kInvalidArgument,
                "login_failures_before_delay, login_delay_seconds, "
                "login_max_failures_per_address and login_window_seconds must be positive",
                "login_failures_before_delay");
  return {};
}

// What memory, logging, metrics and proxies are given.
Result<void> check_the_rest(const Config& config) {
  // Room for at least one body of every kind, so each limit stays reachable.
  if (config.body_memory_limit <
      std::max({config.body_limit, config.attachment_limit + (std::int64_t{1} << 20),
                config.mail_limit}))
    return fail(ErrorCode::kInvalidArgument,
                "body_memory_limit must be at least as large as body_limit, attachment_limit "
                "(plus 1 MiB) and mail_limit",
                "body_memory_limit");
  if (config.attachment_storage != "files" && config.attachment_storage != "database")
    return fail(ErrorCode::kInvalidArgument,
                "attachment_storage must be \"files\" or \"database\", not \"" +
                    config.attachment_storage + "\"",
                "attachment_storage");
  if (config.tls_cert.empty() != config.tls_key.empty())
    return fail(ErrorCode::kInvalidArgument,
                "tls_cert and tls_key go together: set both (PEM files) for TLS, or neither",
                config.tls_cert.empty() ? "tls_cert" : "tls_key");
  if (config.tls_hsts_max_age < 0)
    return fail(ErrorCode::kInvalidArgument,
                "tls_hsts_max_age must be 0 (no Strict-Transport-Security) or a number of seconds",
                "tls_hsts_max_age");
  if (config.log_format != "text" && config.log_format != "json")
    return fail(ErrorCode::kInvalidArgument,
                "log_format must be \"text\" or \"json\", not \"" + config.log_format + "\"",
                "log_format");
  if (!config.metrics_token.empty() && config.metrics_token.size() < 16)
    return fail(ErrorCode::kInvalidArgument, "metrics_token must be at least 16 characters",
                "metrics_token");
  for (const auto& entry : config.trusted_proxies)
    if (!ip::parse_range(entry))
      return fail(ErrorCode::kInvalidArgument,
                  "trusted_proxies: '" + entry +
                      "' is not an IP address or a CIDR range with no host bits set (e.g. "
                      "127.0.0.1, 10.0.0.0/8, fd00::/8)",
                  "trusted_proxies");
  return {};
}

}  // namespace

Result<Config> load_config(const ConfigFlags& flags) {
  Config config;
  auto file = flags.config ? flags.config : env("GONGDAN_CONFIG");
  if (file) GONGDAN_TRY(apply_file(config, *file));
  GONGDAN_TRY(apply_env(config));
  if (auto keys = env("GONGDAN_KEYS")) config.keys = *keys;
  GONGDAN_TRY(apply_database(config, flags));
  apply_flags(config, flags);
  GONGDAN_TRY(check_limits(config));
  GONGDAN_TRY(check_the_rest(config));
  GONGDAN_TRY(split_listen(config.listen));
  return config;
}

}  // namespace gongdan::cli
