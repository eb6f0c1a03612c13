// gongdan backup <file> and gongdan restore <file>: an online, consistent copy of an install
// (the database, attachments and mail.key) as one tar archive with a manifest of every file's
// size and SHA-256, and its restore onto an empty data directory. docs/backup.md.
//
// Order matters for consistency: the database is copied first (SQLite's backup API, or
// pg_dump's snapshot), then the attachments. An attachment is on disk before the row that
// names it commits, and blobs are never rewritten, so every attachment the copied database
// names is there when the files are copied.
//
// --encrypt seals the whole archive (util/archive_cipher.hpp) with a key file or a passphrase;
// restore recognises a sealed archive, asks for what opens it, and checks every chunk before it
// writes anything: a wrong key stops it at the first chunk.
#include <fcntl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "cli/key_setup.hpp"
#include "cli/logging.hpp"
#include "services/key_check.hpp"
#include "store/migrations.hpp"
#include "store/sqlite/sqlite_backup.hpp"
#include "util/archive_cipher.hpp"
#include "util/crypto.hpp"
#include "util/iso_time.hpp"
#include "util/sync_file.hpp"
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

// The flags of backup and restore beyond the data options: how the archive is sealed.
struct ArchiveFlags {
  bool encrypt = false;
  std::string key_file;         // a file of at least 32 random bytes
  std::string passphrase_file;  // its first line is the passphrase
};

// An archive to read: its file, and its header and key when it is sealed.
struct ArchiveSource {
  fs::path file;
  std::optional<archive_cipher::Key> key;
  archive_cipher::Header header;
};

constexpr std::size_t kMaxSecretFile = 64 * 1024;

Result<std::string> read_secret_file(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(ErrorCode::kInvalidArgument, "cannot read the " + std::string(what) + " " + path);
  std::string text(kMaxSecretFile + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxSecretFile)
    return fail(ErrorCode::kInvalidArgument,
                "the " + std::string(what) + " " + path + " is larger than 64 KiB");
  return text;
}

// A passphrase typed on the terminal without echo; nullopt when there is no terminal.
std::optional<std::string> ask_passphrase(const char* prompt) {
  const int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty < 0) return std::nullopt;
  termios saved{};
  const bool terminal = ::tcgetattr(tty, &saved) == 0;
  if (!terminal) {
    ::close(tty);
    return std::nullopt;
  }
  termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  ::tcsetattr(tty, TCSAFLUSH, &quiet);
  [[maybe_unused]] auto w = ::write(tty, prompt, std::strlen(prompt));
  std::string line;
  char c;
  while (::read(tty, &c, 1) == 1 && c != '\n') line += c;
  ::tcsetattr(tty, TCSAFLUSH, &saved);
  w = ::write(tty, "\n", 1);
  ::close(tty);
  return line;
}

// The passphrase from --passphrase-file, GONGDAN_BACKUP_PASSPHRASE or the terminal (twice when
// `confirm`, for a new backup).
Result<std::string> passphrase_of(const ArchiveFlags& flags, bool confirm) {
  if (!flags.passphrase_file.empty()) {
    GONGDAN_ASSIGN(auto text, read_secret_file(flags.passphrase_file, "passphrase file"));
    if (auto end = text.find_first_of("\r\n"); end != std::string::npos) text.resize(end);
    return text;
  }
  if (const char* env = std::getenv("GONGDAN_BACKUP_PASSPHRASE"); env && *env)
    return std::string(env);
  auto typed = ask_passphrase("backup passphrase: ");
  if (!typed)
    return fail(ErrorCode::kInvalidArgument,
                "give the backup's key: --key-file FILE, --passphrase-file FILE or "
                "GONGDAN_BACKUP_PASSPHRASE (no terminal to ask on)");
  if (confirm && ask_passphrase("again: ") != typed)
    return fail(ErrorCode::kInvalidArgument, "the two passphrases differ");
  return *typed;
}

// The key a new backup is sealed with; nullopt for a plain archive.
Result<std::optional<archive_cipher::Key>> sealing_key(const ArchiveFlags& flags) {
  if (!flags.key_file.empty() && !flags.passphrase_file.empty())
    return fail(ErrorCode::kInvalidArgument, "give --key-file or --passphrase-file, not both");
  if (!flags.key_file.empty()) {
    GONGDAN_ASSIGN(auto bytes, read_secret_file(flags.key_file, "key file"));
    GONGDAN_ASSIGN(auto key, archive_cipher::key_from_file_bytes(bytes));
    return std::optional(key);
  }
  if (!flags.encrypt && flags.passphrase_file.empty()) return std::optional<archive_cipher::Key>();
  GONGDAN_ASSIGN(auto passphrase, passphrase_of(flags, /*confirm=*/true));
  GONGDAN_ASSIGN(auto key, archive_cipher::new_passphrase_key(passphrase));
  return std::optional(key);
}

// How to read `file`: sealed ones with the key their header asks for.
Result<ArchiveSource> open_source(const fs::path& file, const ArchiveFlags& flags) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(ErrorCode::kNotFound, "cannot read " + file.string());
  char head[8] = {};
  in.read(head, sizeof head);
  if (!archive_cipher::is_encrypted(std::string_view(head, static_cast<std::size_t>(in.gcount()))))
    return ArchiveSource{file, std::nullopt, {}};
  in.seekg(0);
  GONGDAN_ASSIGN(auto header, archive_cipher::read_header(in));
  std::optional<archive_cipher::Key> key;
  if (header.key.kind == archive_cipher::KeyKind::kKeyFile) {
    if (flags.key_file.empty())
      return fail(ErrorCode::kInvalidArgument,
                  "the backup is encrypted with a key file: give it with --key-file FILE");
    GONGDAN_ASSIGN(auto bytes, read_secret_file(flags.key_file, "key file"));
    GONGDAN_ASSIGN(key, archive_cipher::key_from_file_bytes(bytes));
  } else {
    if (!flags.key_file.empty())
      return fail(ErrorCode::kInvalidArgument,
                  "the backup is encrypted with a passphrase, not a key file: give "
                  "--passphrase-file FILE or GONGDAN_BACKUP_PASSPHRASE, or type it when asked");
    GONGDAN_ASSIGN(auto passphrase, passphrase_of(flags, /*confirm=*/false));
    GONGDAN_ASSIGN(key, archive_cipher::passphrase_key(header.key, passphrase));
  }
  // A wrong key or a changed header is refused here, before the archive is read.
  GONGDAN_TRY(archive_cipher::check_key(header, *key));
  return ArchiveSource{file, key, header};
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

Result<std::string> write_backup(const Config& config, const fs::path& target,
                                 const ArchiveFlags& flags) {
  const fs::path data = config.data;
  const bool sqlite = config.database.empty();
  if (fs::exists(target)) return fail(ErrorCode::kConflict, target.string() + " exists already");
  GONGDAN_ASSIGN(auto seal_key, sealing_key(flags));
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
  std::ofstream file_out(partial, std::ios::binary | std::ios::trunc);
  if (!file_out) return fail(ErrorCode::kInternal, "cannot write " + partial.string());
  // Sealed: the tar goes through the cipher on its way to the file.
  std::optional<archive_cipher::SealingBuffer> sealer;
  if (seal_key) sealer.emplace(file_out, *seal_key);
  std::ostream sealed_out(sealer ? static_cast<std::streambuf*>(&*sealer) : file_out.rdbuf());
  std::ostream& out = sealer ? sealed_out : file_out;
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
    if (sealer) GONGDAN_TRY(sealer->finish());
    file_out.close();
    if (!file_out || !out) return fail(ErrorCode::kInternal, "cannot write " + partial.string());
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
  if (seal_key)
    said += seal_key->kind == archive_cipher::KeyKind::kKeyFile
                ? "\nencrypted with the key file " + flags.key_file +
                      ": keep it apart from the backup; without it nothing can be restored"
                : std::string("\nencrypted with a passphrase: without it nothing can be restored");
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
Result<Checked> read_tar(std::istream& in, const Extract& extract);

// A sealed archive is opened as it is read; when opening fails, its reason (wrong key, cut
// off, damaged) is the one reported, not the tar reader's view of the early end.
Result<Checked> read_archive(const ArchiveSource& source, const Extract& extract = {}) {
  std::ifstream in(source.file, std::ios::binary);
  if (!in) return fail(ErrorCode::kNotFound, "cannot read " + source.file.string());
  if (!source.key) return read_tar(in, extract);
  GONGDAN_ASSIGN(auto header, archive_cipher::read_header(in));
  archive_cipher::OpeningBuffer opener(in, header, *source.key);
  std::istream plain(&opener);
  auto checked = read_tar(plain, extract);
  // The tar ends before the stream does (its last zero block is never read): read the rest, so
  // the FINAL chunk and the file's end are always checked and a cut archive is never taken.
  plain.ignore(std::numeric_limits<std::streamsize>::max());
  if (opener.error()) return fail(*opener.error());
  return checked;
}

Result<Checked> read_tar(std::istream& in, const Extract& extract) {
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
Result<services::KeyRing> restore_keys(const Config& config, const ArchiveSource& file,
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
Result<void> check_restore_keys(const Config& config, const ArchiveSource& file,
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

Result<std::string> restore(const Config& config, const fs::path& archive,
                            const ArchiveFlags& flags) {
  const fs::path data = config.data;
  const bool sqlite = config.database.empty();
  if (!is_empty_dir(data))
    return fail(ErrorCode::kConflict, "the data directory " + data.string() +
                                          " is not empty: restore only into an empty or new one");
  GONGDAN_ASSIGN(const auto file, open_source(archive, flags));
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
  return "restored " + std::to_string(checked.files.size()) + " files from " + archive.string() +
         (file.key ? " (encrypted)" : "") + " into " + data.string();
}

// A subcommand that takes the data options and one archive `file`, and runs `run` on them.
CLI::App* add_archive_command(CLI::App& root, int& exit_code, const std::string& name,
                              const std::string& about, const std::string& file_help,
                              Result<std::string> (*run)(const Config&, const fs::path&,
                                                         const ArchiveFlags&),
                              std::shared_ptr<ArchiveFlags> archive) {
  auto flags = std::make_shared<ConfigFlags>();
  auto file = std::make_shared<std::string>();
  auto* command = root.add_subcommand(name, about);
  add_data_options(*command, *flags);
  command->add_option("file", *file, file_help)->required();
  command->add_option("--key-file", archive->key_file,
                      "The backup key: a file of at least 32 random bytes (head -c 32 "
                      "/dev/urandom > FILE), kept apart from the backups");
  command->add_option("--passphrase-file", archive->passphrase_file,
                      "A file whose first line is the backup passphrase (or "
                      "GONGDAN_BACKUP_PASSPHRASE, or typed when asked)");
  command->callback([flags, file, run, archive, &exit_code] {
    auto config = load_config(*flags);
    if (!config) {
      exit_code = command_failed(config.error().message, 2);
      return;
    }
    configure_command_logging(config->log_level);
    auto done = run(*config, *file, *archive);
    exit_code = done ? (std::cout << *done << "\n", 0) : command_failed(done.error().message);
  });
  return command;
}

}  // namespace

void add_backup_commands(CLI::App& root, int& exit_code) {
  auto sealing = std::make_shared<ArchiveFlags>();
  auto* backup = add_archive_command(
      root, exit_code, "backup",
      "Write a consistent backup (database, attachments, mail.key) while serving",
      "The archive to write (must not exist)", write_backup, sealing);
  backup->add_flag("--encrypt", sealing->encrypt,
                   "Encrypt the whole archive (libsodium) with --key-file, --passphrase-file, "
                   "GONGDAN_BACKUP_PASSPHRASE or a passphrase typed twice");
  add_archive_command(root, exit_code, "restore",
                      "Restore a backup into an empty data directory (and empty database); an "
                      "encrypted one needs its key file or passphrase",
                      "The archive gongdan backup wrote", restore,
                      std::make_shared<ArchiveFlags>());
}

}  // namespace gongdan::cli
