// gongdan backup <file> and gongdan restore <file>: an online, consistent copy of an install
// (the database, attachments and mail.key) as one tar archive with a manifest of every file's
// size and SHA-256, and its restore onto an empty data directory. docs/backup.md.
//
// Order matters for consistency: the database is copied first (SQLite's backup API, or
// pg_dump's snapshot), then the attachments. An attachment is on disk before the row that
// names it commits, and blobs are never rewritten, so every attachment the copied database
// names is there when the files are copied.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "cli/key_setup.hpp"
#include "cli/logging.hpp"
#include "services/key_check.hpp"
#include "store/migrations.hpp"
#include "store/sqlite/sqlite_backup.hpp"
#include "util/crypto.hpp"
#include "util/iso_time.hpp"
#include "util/tar_archive.hpp"

namespace gongdan::cli {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::string_view kManifest = "manifest.json";
constexpr std::string_view kFormat = "gongdan-backup";
constexpr std::string_view kSqliteEntry = "gongdan.db";
constexpr std::string_view kPostgresEntry = "database.pgdump";
constexpr int kFirstSchemaWithKeys = 49;  // encryption_keys

struct FileSum {
  std::uint64_t size = 0;
  std::string sha256;
};

int report(std::string_view message, int code = 1) {
  std::cerr << "gongdan: " << message << "\n";
  return code;
}

// Runs a program (pg_dump, pg_restore) with its arguments, no shell; its exit status.
int run_program(const std::vector<std::string>& argv) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  if (pid < 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Result<void> sync_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    return fail(ErrorCode::kInternal, "cannot sync " + path.string());
  }
  ::close(fd);
  return {};
}

// Adds a file from disk under `name`, summing it as it goes.
Result<void> add_file(tar::Writer& writer, std::map<std::string, FileSum>& sums,
                      const std::string& name, const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return fail(ErrorCode::kInternal, "cannot read " + path.string() + ": " + ec.message());
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kInternal, "cannot read " + path.string());
  crypto::Sha256 sum;
  // Read twice would race a changing file; instead the reader sums what the writer copies.
  struct Tee : std::streambuf {
    std::ifstream& in;
    crypto::Sha256& sum;
    char buffer[65536];
    Tee(std::ifstream& i, crypto::Sha256& s) : in(i), sum(s) {}
    int_type underflow() override {
      in.read(buffer, sizeof buffer);
      const auto n = in.gcount();
      if (n <= 0) return traits_type::eof();
      sum.update(std::string_view(buffer, static_cast<std::size_t>(n)));
      setg(buffer, buffer, buffer + n);
      return traits_type::to_int_type(buffer[0]);
    }
  } tee(in, sum);
  std::istream teed(&tee);
  GONGDAN_TRY(writer.add(name, teed, size));
  sums[name] = FileSum{size, sum.hex_digest()};
  return {};
}

// The files of the attachment store, as archive names ("attachments/ab/cd/<digest>").
Result<std::vector<std::pair<std::string, fs::path>>> attachment_files(const fs::path& data) {
  std::vector<std::pair<std::string, fs::path>> files;
  const fs::path root = data / "attachments";
  std::error_code ec;
  if (!fs::exists(root, ec)) return files;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string name = "attachments/" + fs::relative(it->path(), root).generic_string();
    // Temporary files of a write under way are not blobs yet.
    if (!tar::is_safe_name(name) || it->path().filename().string().starts_with(".")) continue;
    files.emplace_back(name, it->path());
  }
  if (ec) return fail(ErrorCode::kInternal, "cannot list " + root.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

Result<std::string> write_backup(const Config& config, const fs::path& target) {
  const fs::path data = config.data;
  const bool sqlite = config.database.empty();
  if (fs::exists(target)) return fail(ErrorCode::kConflict, target.string() + " exists already");
  // The schema version the copy is at, read (and checked) first.
  GONGDAN_ASSIGN(auto db, open_database(config, Schema::kExisting));
  GONGDAN_ASSIGN(int schema, store::schema_version(*db));
  // The keys the files and secrets need, by id and fingerprint: a restore checks it has them.
  json::array needed_keys;
  if (schema >= kFirstSchemaWithKeys) {
    GONGDAN_ASSIGN(auto recorded, services::recorded_keys(*db));
    for (const auto& k : recorded)
      if (!k.retired)
        needed_keys.push_back(json::object{{"id", k.id}, {"fingerprint", k.fingerprint}});
  }
  db->close();
  const fs::path partial = target.string() + ".partial";
  const fs::path snapshot = target.string() + ".snapshot";
  fs::remove(partial);
  fs::remove(snapshot);
  std::ofstream out(partial, std::ios::binary | std::ios::trunc);
  if (!out) return fail(ErrorCode::kInternal, "cannot write " + partial.string());
  tar::Writer writer(out);
  std::map<std::string, FileSum> sums;
  auto cleanup = [&] {
    fs::remove(snapshot);
    fs::remove(partial);
  };
  auto written = [&]() -> Result<void> {
    if (sqlite) {
      GONGDAN_TRY(store::backup_sqlite(sqlite_path(config), snapshot));
      GONGDAN_TRY(add_file(writer, sums, std::string(kSqliteEntry), snapshot));
    } else {
      const int rc = run_program({"pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                                  "--file=" + snapshot.string(), "--dbname=" + config.database});
      if (rc != 0)
        return fail(ErrorCode::kUnavailable,
                    "pg_dump failed (exit " + std::to_string(rc) +
                        "); is postgresql-client installed and the database reachable?");
      GONGDAN_TRY(add_file(writer, sums, std::string(kPostgresEntry), snapshot));
    }
    fs::remove(snapshot);
    GONGDAN_ASSIGN(auto files, attachment_files(data));
    for (const auto& [name, path] : files) GONGDAN_TRY(add_file(writer, sums, name, path));
    // The keys go along only when they live in the data directory (the default); kept apart,
    // they must be backed up apart (docs/encryption.md).
    const auto keys = key_source(config);
    if (!keys.from_environment() && keys.file == data / "mail.key" && fs::exists(keys.file))
      GONGDAN_TRY(add_file(writer, sums, "mail.key", data / "mail.key"));
    json::array list;
    for (const auto& [name, sum] : sums)
      list.push_back(json::object{{"name", name}, {"size", sum.size}, {"sha256", sum.sha256}});
    const json::object manifest{{"format", kFormat},
                                {"version", 1},
                                {"gongdan_version", GONGDAN_VERSION},
                                {"created_at", iso_time(SystemClock::instance().now_ms())},
                                {"engine", sqlite ? "sqlite" : "postgresql"},
                                {"schema_version", schema},
                                {"keys", std::move(needed_keys)},
                                {"files", std::move(list)}};
    // Last, so an archive cut short has none.
    GONGDAN_TRY(writer.add(kManifest, json::serialize(manifest)));
    GONGDAN_TRY(writer.finish());
    out.close();
    if (!out) return fail(ErrorCode::kInternal, "cannot write " + partial.string());
    GONGDAN_TRY(sync_file(partial));
    return {};
  }();
  if (!written) {
    cleanup();
    return fail(written.error());
  }
  fs::rename(partial, target);
  GONGDAN_TRY(sync_file(target.parent_path().empty() ? fs::path(".") : target.parent_path()));
  std::uint64_t bytes = 0;
  for (const auto& [name, sum] : sums) bytes += sum.size;
  std::string said = "backup written to " + target.string() + ": " + std::to_string(sums.size()) +
                     " files, " + std::to_string(bytes) + " bytes, schema version " +
                     std::to_string(schema);
  if (!sums.count("mail.key"))
    said += "\nthe encryption keys (" + key_source(config).name() +
            ") are not in it: back them up apart; without them the attachments and secrets of "
            "this backup cannot be read";
  return said;
}

struct Checked {
  json::object manifest;
  std::map<std::string, FileSum> files;  // as listed, each checked against the archive
};

// Reads the whole archive, checking every entry against the manifest at its end; changes
// nothing. `extract`, when given, receives each entry (name and data chunks) as it is read.
using Extract = std::function<Result<void>(const std::string&, std::string_view)>;
Result<Checked> read_archive(const fs::path& file, const Extract& extract = {}) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(ErrorCode::kNotFound, "cannot read " + file.string());
  tar::Reader reader(in);
  std::map<std::string, FileSum> seen;
  std::string manifest_text;
  for (;;) {
    GONGDAN_ASSIGN(auto entry, reader.next());
    if (!entry) break;
    if (seen.count(entry->name) || (entry->name == kManifest && !manifest_text.empty()))
      return fail(ErrorCode::kInvalidArgument, "the archive holds '" + entry->name + "' twice");
    if (entry->name == kManifest) {
      if (entry->size > 16 * 1024 * 1024)
        return fail(ErrorCode::kInvalidArgument, "the manifest is too large");
      GONGDAN_TRY(reader.read_data([&](std::string_view chunk) -> Result<void> {
        manifest_text += chunk;
        return {};
      }));
      continue;
    }
    if (!manifest_text.empty())
      return fail(ErrorCode::kInvalidArgument, "the archive goes on after its manifest");
    crypto::Sha256 sum;
    GONGDAN_TRY(reader.read_data([&](std::string_view chunk) -> Result<void> {
      sum.update(chunk);
      if (extract) return extract(entry->name, chunk);
      return {};
    }));
    seen[entry->name] = FileSum{entry->size, sum.hex_digest()};
  }
  if (manifest_text.empty())
    return fail(ErrorCode::kInvalidArgument,
                "the archive has no manifest: it is not a gongdan backup, or it was cut short");
  boost::system::error_code ec;
  auto parsed = json::parse(manifest_text, ec);
  if (ec || !parsed.is_object())
    return fail(ErrorCode::kInvalidArgument, "the manifest is not a JSON object");
  Checked checked;
  checked.manifest = parsed.as_object();
  const auto* format = checked.manifest.if_contains("format");
  const auto* version = checked.manifest.if_contains("version");
  const auto* files = checked.manifest.if_contains("files");
  if (!format || !format->is_string() || format->as_string() != kFormat || !version ||
      !version->is_int64() || version->as_int64() != 1 || !files || !files->is_array())
    return fail(ErrorCode::kInvalidArgument, "the manifest is not of a gongdan backup (version 1)");
  for (const auto& item : files->as_array()) {
    const auto* o = item.if_object();
    const auto* name = o ? o->if_contains("name") : nullptr;
    const auto* size = o ? o->if_contains("size") : nullptr;
    const auto* sha = o ? o->if_contains("sha256") : nullptr;
    if (!name || !name->is_string() || !size || !(size->is_int64() || size->is_uint64()) || !sha ||
        !sha->is_string())
      return fail(ErrorCode::kInvalidArgument,
                  "the manifest lists a file without name, size and sha256");
    const std::string n(name->as_string());
    const auto found = seen.find(n);
    if (found == seen.end())
      return fail(ErrorCode::kInvalidArgument,
                  "the manifest lists '" + n + "' but the archive lacks it");
    const auto listed_size =
        size->is_int64() ? static_cast<std::uint64_t>(size->as_int64()) : size->as_uint64();
    if (found->second.size != listed_size || found->second.sha256 != sha->as_string())
      return fail(
          ErrorCode::kInvalidArgument,
          "'" + n + "' does not match its checksum in the manifest: the archive is corrupt");
    checked.files[n] = found->second;
  }
  if (checked.files.size() != seen.size())
    return fail(ErrorCode::kInvalidArgument, "the archive holds files its manifest does not list");
  return checked;
}

// The keys a restore will run with: the configured ones, or the backup's own mail.key when the
// configuration names the default place and the backup carries it.
Result<services::KeyRing> restore_keys(const Config& config, const fs::path& file,
                                       const Checked& checked) {
  const auto source = key_source(config);
  const bool default_place =
      !source.from_environment() && source.file == fs::path(config.data) / "mail.key";
  if (default_place && checked.files.count("mail.key")) {
    std::string text;
    auto read = read_archive(file, [&](const std::string& name, std::string_view chunk) {
      if (name == "mail.key") text += chunk;
      return Result<void>{};
    });
    if (!read) return fail(read.error());
    return services::KeyRing::parse(text, "the backup's mail.key");
  }
  auto keys = services::Keys::load(source);
  if (!keys)
    return fail(ErrorCode::kInvalidArgument,
                "the backup does not hold the encryption keys and " + keys.error().message +
                    ": configure key_file or GONGDAN_KEYS with the keys of the install it was "
                    "made from before restoring");
  return *(*keys)->ring();
}

// Refuses a restore whose files and secrets the keys it would run with cannot open.
Result<void> check_restore_keys(const Config& config, const fs::path& file,
                                const Checked& checked) {
  const auto* listed = checked.manifest.if_contains("keys");
  if (!listed || !listed->is_array() || listed->as_array().empty()) return {};  // older backups
  std::vector<services::RecordedKey> needed;
  for (const auto& item : listed->as_array()) {
    const auto* o = item.if_object();
    const auto* id = o ? o->if_contains("id") : nullptr;
    const auto* fingerprint = o ? o->if_contains("fingerprint") : nullptr;
    if (!id || !id->is_string() || !fingerprint || !fingerprint->is_string())
      return fail(ErrorCode::kInvalidArgument,
                  "the manifest lists a key without id and fingerprint");
    needed.push_back({std::string(id->as_string()), std::string(fingerprint->as_string()), false});
  }
  GONGDAN_ASSIGN(auto ring, restore_keys(config, file, checked));
  const auto problems = services::key_problems(ring, needed, key_source(config).name());
  if (!problems.empty()) return fail(ErrorCode::kInvalidArgument, "wrong key: " + problems.front());
  return {};
}

bool is_empty_dir(const fs::path& dir) {
  std::error_code ec;
  return !fs::exists(dir, ec) || (fs::is_directory(dir, ec) && fs::is_empty(dir, ec));
}

Result<std::string> restore(const Config& config, const fs::path& file) {
  const fs::path data = config.data;
  const bool sqlite = config.database.empty();
  if (!is_empty_dir(data))
    return fail(ErrorCode::kConflict, "the data directory " + data.string() +
                                          " is not empty: restore only into an empty or new one");
  // First pass: the whole archive checked before anything is written.
  GONGDAN_ASSIGN(auto checked, read_archive(file));
  const auto* engine = checked.manifest.if_contains("engine");
  const std::string engine_name =
      engine && engine->is_string() ? std::string(engine->as_string()) : "";
  if (engine_name != (sqlite ? "sqlite" : "postgresql"))
    return fail(ErrorCode::kInvalidArgument, "the backup is of a " + engine_name +
                                                 " install but this configuration uses " +
                                                 (sqlite ? "SQLite" : "PostgreSQL"));
  const auto* schema = checked.manifest.if_contains("schema_version");
  if (!schema || !schema->is_int64() || schema->as_int64() > store::latest_schema_version())
    return fail(ErrorCode::kInvalidArgument,
                "the backup is of a newer gongdan (schema version above " +
                    std::to_string(store::latest_schema_version()) + "): use that version");
  GONGDAN_TRY(check_restore_keys(config, file, checked));
  if (!sqlite) {
    GONGDAN_ASSIGN(auto db, open_database(config, Schema::kMigrate));
    GONGDAN_ASSIGN(int current, store::schema_version(*db));
    db->close();
    if (current != 0)
      return fail(ErrorCode::kConflict, "the PostgreSQL database is not empty (schema version " +
                                            std::to_string(current) +
                                            "): restore only into an empty database");
  }
  // Second pass: into a staging directory beside the data directory, moved in at the end.
  const fs::path absolute = fs::absolute(data).lexically_normal();
  const fs::path staging = absolute.parent_path() / ("." + absolute.filename().string() +
                                                     ".restoring-" + std::to_string(::getpid()));
  fs::remove_all(staging);
  fs::create_directories(staging);
  auto finished = [&]() -> Result<void> {
    std::ofstream out;
    std::string open_name;
    GONGDAN_TRY(
        read_archive(file, [&](const std::string& name, std::string_view chunk) -> Result<void> {
          if (name != open_name) {
            if (out.is_open()) out.close();
            const fs::path path = staging / name;
            fs::create_directories(path.parent_path());
            out.open(path, std::ios::binary | std::ios::trunc);
            open_name = name;
          }
          if (!out.write(chunk.data(), static_cast<std::streamsize>(chunk.size())))
            return fail(ErrorCode::kInternal, "cannot write " + (staging / name).string());
          return {};
        }));
    out.close();
    // Empty files never reach the sink: make them too.
    for (const auto& [name, sum] : checked.files)
      if (!fs::exists(staging / name)) std::ofstream(staging / name, std::ios::binary);
    for (const auto& [name, sum] : checked.files) GONGDAN_TRY(sync_file(staging / name));
    if (fs::exists(staging / "mail.key"))
      fs::permissions(staging / "mail.key", fs::perms::owner_read | fs::perms::owner_write);
    if (!sqlite) {
      const fs::path dump = staging / std::string(kPostgresEntry);
      const int rc = run_program({"pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                                  "--dbname=" + config.database, dump.string()});
      if (rc != 0)
        return fail(ErrorCode::kUnavailable,
                    "pg_restore failed (exit " + std::to_string(rc) +
                        "); the database may hold "
                        "part of the backup: empty it before trying again");
      fs::remove(dump);
    }
    return {};
  }();
  if (!finished) {
    fs::remove_all(staging);
    return fail(finished.error());
  }
  fs::create_directories(data);
  fs::permissions(data, fs::perms::owner_all);
  for (const auto& entry : fs::directory_iterator(staging))
    fs::rename(entry.path(), data / entry.path().filename());
  fs::remove_all(staging);
  GONGDAN_TRY(sync_file(data));
  return "restored " + std::to_string(checked.files.size()) + " files from " + file.string() +
         " into " + data.string();
}

// A subcommand that takes the data options and one archive `file`, and runs `run` on them.
void add_archive_command(CLI::App& root, int& exit_code, const std::string& name,
                         const std::string& about, const std::string& file_help,
                         Result<std::string> (*run)(const Config&, const fs::path&)) {
  auto flags = std::make_shared<ConfigFlags>();
  auto file = std::make_shared<std::string>();
  auto* command = root.add_subcommand(name, about);
  add_data_options(*command, *flags);
  command->add_option("file", *file, file_help)->required();
  command->callback([flags, file, run, &exit_code] {
    auto config = load_config(*flags);
    if (!config) {
      exit_code = report(config.error().message, 2);
      return;
    }
    configure_logging(config->log_level == "info" ? "warn" : config->log_level);
    auto done = run(*config, *file);
    exit_code = done ? (std::cout << *done << "\n", 0) : report(done.error().message);
  });
}

}  // namespace

void add_backup_commands(CLI::App& root, int& exit_code) {
  add_archive_command(root, exit_code, "backup",
                      "Write a consistent backup (database, attachments, mail.key) while serving",
                      "The archive to write (must not exist)", write_backup);
  add_archive_command(root, exit_code, "restore",
                      "Restore a backup into an empty data directory (and empty database)",
                      "The archive gongdan backup wrote", restore);
}

}  // namespace gongdan::cli
