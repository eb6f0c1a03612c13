#include "store/sqlite/sqlite_backup.hpp"

#include <sqlite3.h>

#include <memory>

#include "util/sync_file.hpp"

namespace gongdan::store {
namespace {

using Handle = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;

Result<Handle> open(const std::filesystem::path& path, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  Handle handle(db, &sqlite3_close);
  if (rc != SQLITE_OK)
    return fail(ErrorCode::kUnavailable, "cannot open " + path.string() + ": " +
                                             (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  sqlite3_busy_timeout(db, 10000);
  return handle;
}

}  // namespace

Result<void> backup_sqlite(const std::filesystem::path& source,
                           const std::filesystem::path& target) {
  if (!std::filesystem::exists(source))
    return fail(ErrorCode::kNotFound, "no database at " + source.string());
  GONGDAN_ASSIGN(auto from, open(source, SQLITE_OPEN_READONLY));
  GONGDAN_ASSIGN(auto to, open(target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  sqlite3_backup* backup = sqlite3_backup_init(to.get(), "main", from.get(), "main");
  if (!backup)
    return fail(ErrorCode::kInternal,
                std::string("cannot start the backup: ") + sqlite3_errmsg(to.get()));
  // -1: every page in one step, so the copy is one read transaction's view.
  int rc = SQLITE_OK;
  do {
    rc = sqlite3_backup_step(backup, -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE)
    return fail(ErrorCode::kInternal, std::string("the backup failed: ") + sqlite3_errstr(rc));
  // The copy is a plain database file: no WAL beside it.
  char* message = nullptr;
  if (sqlite3_exec(to.get(), "PRAGMA journal_mode = DELETE", nullptr, nullptr, &message) !=
      SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    return fail(ErrorCode::kInternal, "cannot finish the copy: " + text);
  }
  to.reset();
  return sync_file(target);
}

}  // namespace gongdan::store
