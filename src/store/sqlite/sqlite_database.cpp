#include "store/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include "store/sqlite/sqlite_connection.hpp"

namespace gongdan::store {

namespace {

GroupCommitOptions group_commit_options(const SqliteOptions& options) {
  GroupCommitOptions o;
  o.max_readers = options.max_readers;
  o.max_batch = options.max_batch;
  o.begin_read = "BEGIN";
  // Take the write lock at once: a deferred BEGIN could fail to upgrade mid-batch.
  o.begin_write = "BEGIN IMMEDIATE";
  o.dialect = {
      Engine::kSqlite,
      {{"{{id}}", "INTEGER PRIMARY KEY"},
       {"{{without_rowid}}", " WITHOUT ROWID"},
       {"{{blob}}", "BLOB"},
       {"{{now_ms}}", "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"},
       {"{{ticket_number_sequence}}", "SELECT 1;"},  // one writer: the counter row serves
       {"{{fts_buckets}}", "SELECT 1;"},             // FTS5 answers newest first without them
       {"{{fts_blocks}}", "SELECT 1;"},
       // Full-text search: contentless FTS5 tables; CJK text arrives pre-split into bigrams.
       {"{{fts_tickets}}",
        "CREATE VIRTUAL TABLE ticket_fts USING fts5(subject, tags, content='', "
        "tokenize='porter unicode61 remove_diacritics 2');"},
       {"{{fts_contacts}}",
        "CREATE VIRTUAL TABLE contact_fts USING fts5(text, content='', "
        "tokenize='porter unicode61 remove_diacritics 2');"},
       // Published KB translations: title ranks above body; lang holds one token ("len"),
       // which searches do not match (they read kb_translations.lang instead).
       {"{{fts_kb}}",
        "CREATE VIRTUAL TABLE kb_fts USING fts5(title, body, lang, content='', "
        "tokenize='porter unicode61 remove_diacritics 2');"},
       {"{{fts_messages}}",
        "CREATE VIRTUAL TABLE message_fts USING fts5(body, content='', "
        "tokenize='porter unicode61 remove_diacritics 2');"}},
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"};
  return o;
}

}  // namespace

SqliteDatabase::SqliteDatabase(SqliteOptions options)
    : GroupCommitDatabase(group_commit_options(options)), options_(std::move(options)) {}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(const SqliteOptions& options) {
  if (sqlite3_threadsafe() == 0) return fail(ErrorCode::kInternal, "SQLite built without threads");
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(options));
  GONGDAN_TRY(db->start());
  return db;
}

SqliteDatabase::~SqliteDatabase() { close(); }

Result<std::unique_ptr<Connection>> SqliteDatabase::connect(bool writer) const {
  GONGDAN_ASSIGN(auto c, SqliteConnection::open(options_.path, !writer, options_.busy_timeout_ms));
  return std::unique_ptr<Connection>(std::move(c));
}

void SqliteDatabase::before_close(Connection& writer) {
  (void)writer.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

}  // namespace gongdan::store
