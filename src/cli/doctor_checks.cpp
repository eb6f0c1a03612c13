// The checks of `gongdan doctor` that look at this machine and the database (cli/doctor.hpp).
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "cli/app.hpp"
#include "cli/doctor.hpp"
#include "store/migrations.hpp"

namespace gongdan::cli::doctor {
namespace fs = std::filesystem;

void Findings::ok(std::string subject, std::string message) {
  all_.push_back({Severity::kOk, std::move(subject), std::move(message), {}});
}
void Findings::warn(std::string subject, std::string message, std::string fix) {
  all_.push_back({Severity::kWarning, std::move(subject), std::move(message), std::move(fix)});
}
void Findings::error(std::string subject, std::string message, std::string fix) {
  all_.push_back({Severity::kError, std::move(subject), std::move(message), std::move(fix)});
}
int Findings::exit_code() const {
  int worst = 0;
  for (const auto& f : all_) worst = std::max(worst, static_cast<int>(f.severity));
  return worst;
}

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

// A postgres:// URL without its password, fit to print.
std::string without_password(const std::string& url) {
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

std::string where(const Config& config) {
  return config.database.empty() ? "SQLite " + sqlite_path(config)
                                 : "PostgreSQL " + without_password(config.database);
}

const char* kRunAsOwner =
    "run doctor as the user the server runs as (packaged: sudo -u gongdan gongdan doctor "
    "--config /etc/gongdan/gongdan.toml)";

}  // namespace

std::unique_ptr<store::Database> check_database(const Config& config, Findings& out) {
  auto db = open_database(config, Schema::kExisting);
  if (!db) {
    out.error("database",
              db.error().code == ErrorCode::kNotFound
                  ? db.error().message
                  : "cannot open " + where(config) + ": " + db.error().message,
              config.database.empty()
                  ? "start the service once (it creates and migrates the database), or point "
                    "--data or --config at the install"
                  : "check that PostgreSQL runs and accepts this URL's host, port, user, "
                    "password and database (`database` in the configuration)");
    return nullptr;
  }
  auto version = store::schema_version(**db);
  if (!version) {
    out.error(
        "database",
        "cannot read the schema version from " + where(config) + ": " + version.error().message,
        "check that the database is gongdan's and that this user may read it");
    return nullptr;
  }
  const int latest = store::latest_schema_version();
  const std::string versions =
      "schema version " + std::to_string(*version) + ", this gongdan's " + std::to_string(latest);
  if (*version > latest) {
    out.error("database", where(config) + ": " + versions + ": a newer release upgraded it",
              "run that release, or restore the backup taken before the upgrade "
              "(docs/upgrade.md)");
    return nullptr;
  }
  auto pending = store::pending_migrations(**db);
  if (pending && !pending->empty()) {
    out.warn("database",
             where(config) + ": " + versions + ": " + std::to_string(pending->size()) +
                 " migration(s) pending",
             "back up (docs/upgrade.md), then restart the service or run `gongdan migrate` "
             "(`gongdan migrate --dry-run` lists them)");
    return nullptr;
  }
  out.ok("database", where(config) + ", schema version " + std::to_string(*version) + " (current)");
  return std::move(*db);
}

void check_disk(const Config& config, Findings& out) {
  struct statvfs st {};
  fs::path at = config.data;
  std::error_code ec;
  while (!fs::exists(at, ec) && at.has_parent_path() && at != at.parent_path())
    at = at.parent_path();
  if (::statvfs(at.c_str(), &st) != 0) {
    out.warn("disk", "cannot tell the free space at " + at.string(), "check that the path exists");
    return;
  }
  const std::uint64_t free = std::uint64_t(st.f_bavail) * st.f_frsize;
  const std::uint64_t total = std::uint64_t(st.f_blocks) * st.f_frsize;
  const double share = total ? 100.0 * double(free) / double(total) : 0;
  const std::string said = std::to_string(free / kMiB) + " MiB free of " +
                           std::to_string(total / kMiB) + " MiB (" +
                           std::to_string(static_cast<int>(share)) + "%) at " + at.string();
  const std::string fix =
      "free space there or move the data directory to a larger disk: with the disk full, new "
      "tickets, mail and attachments cannot be stored";
  // Absolute sizes, not a share: a large disk with a few percent free still holds years of
  // tickets, and a doctor that warns about it teaches people to ignore its warnings.
  if (free < 256 * kMiB)
    out.error("disk", said, fix);
  else if (free < 2048 * kMiB)
    out.warn("disk", said, fix);
  else
    out.ok("disk", said);
}

void check_files(const Config& config, Findings& out) {
  const fs::path data = config.data;
  struct stat st {};
  if (::stat(data.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    out.error("data directory", data.string() + " does not exist",
              "create it for the server's user (mode 0700), or point `data` at the install");
    return;
  }
  if (st.st_uid != ::geteuid()) {
    out.error("data directory",
              data.string() + " belongs to uid " + std::to_string(st.st_uid) +
                  ", not to this user (uid " + std::to_string(::geteuid()) + ")",
              std::string(kRunAsOwner) + "; or chown -R it to the server's user");
    return;
  }
  if (st.st_mode & 077)
    out.warn("data directory",
             data.string() + " is open to other users (mode 0" +
                 std::to_string((st.st_mode >> 6) & 7) + std::to_string((st.st_mode >> 3) & 7) +
                 std::to_string(st.st_mode & 7) + ")",
             "chmod 700 " + data.string() + ": it holds tickets, attachments and mail.key");
  // Attachments go to data/attachments: it (or, before the first, the data directory) must take
  // a new file. A probe written and removed at once says so for this very user.
  const fs::path attachments = data / "attachments";
  std::error_code ec;
  const fs::path dir = fs::is_directory(attachments, ec) ? attachments : data;
  const fs::path probe = dir / (".doctor-probe-" + std::to_string(::getpid()));
  {
    std::ofstream file(probe);
    file << "probe";
    file.close();
    if (!file) {
      out.error("attachments", "cannot write in " + dir.string(),
                std::string(kRunAsOwner) + "; make the directory writable by the server's user");
      fs::remove(probe, ec);
      return;
    }
  }
  fs::remove(probe, ec);
  out.ok("attachments", dir.string() + " is writable");
  const fs::path key = data / "mail.key";
  if (::stat(key.c_str(), &st) == 0 && (st.st_mode & 077))
    out.warn("mail.key", key.string() + " is readable by other users",
             "chmod 600 " + key.string() + ": it unseals the mailbox passwords");
}

void check_web(const Config& config, Findings& out) {
  const std::string root = config.web_root.empty() ? default_web_root() : config.web_root;
  std::error_code ec;
  if (!root.empty() && fs::is_regular_file(fs::path(root) / "index.html", ec)) {
    out.ok("web app", root);
    return;
  }
  out.error("web app", root.empty() ? "not found beside the binary" : root + " holds no index.html",
            "the desk and the portal answer 404 without it: install the package (it puts the "
            "app in /usr/share/gongdan/web), build it (scripts/run does), or set web_root");
}

void check_clock(const Config& config, store::Database& db, Findings& out) {
  if (db.engine() != store::Engine::kPostgres) {
    out.ok("clock", "SQLite: the database keeps this machine's time");
    return;
  }
  using std::chrono::system_clock;
  const auto ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               system_clock::now().time_since_epoch())
        .count();
  };
  const auto before = ms();
  std::int64_t server = 0;
  auto read = db.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto q, store::query(c,
                                        "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) "
                                        "* 1000 AS BIGINT)"));
    GONGDAN_ASSIGN(bool row, q.next());
    if (row) server = q.integer(0);
    return {};
  });
  const auto after = ms();
  if (!read) {
    out.warn("clock", "cannot read the database server's time: " + read.error().message,
             "check the database connection");
    return;
  }
  // Positive: this machine is ahead. The database's time is taken halfway through the read.
  const double skew = double((before + after) / 2 - server) / 1000.0;
  const auto text =
      fmt::format("this machine's clock is {:.1f} s {} the database server's ({})", std::fabs(skew),
                  skew >= 0 ? "ahead of" : "behind", without_password(config.database));
  const std::string fix =
      "run NTP (systemd-timesyncd or chrony) on this machine and the database server: SLA "
      "timers, sessions and sign-in links compare their times";
  if (std::fabs(skew) > 30)
    out.error("clock", text, fix);
  else if (std::fabs(skew) > 2)
    out.warn("clock", text, fix);
  else
    out.ok("clock", text);
}

}  // namespace gongdan::cli::doctor
