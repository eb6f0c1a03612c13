#include "store/postgres/pg_database.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <spdlog/spdlog.h>
#include <sys/select.h>

#include <regex>

#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_search_blocks.hpp"
#include "store/schema.hpp"
#include "util/read_route.hpp"

namespace gongdan::store {
namespace {

GroupCommitOptions pg_group_commit_options(const PostgresOptions& options) {
  GroupCommitOptions o;
  o.max_readers = options.max_readers;
  o.max_batch = options.max_batch;
  // Reads run each statement on its own (autocommit, READ COMMITTED), on sessions that refuse
  // writes. A BEGIN and COMMIT around them cost two more round trips to the server, which was
  // most of a short read's time; two statements of one request may then see two snapshots a
  // moment apart (a list and its count), which no page of a help desk can tell from a moment's
  // later read, and every write still goes through the writer's transactions.
  o.begin_read.clear();
  o.begin_write = "BEGIN";
  o.writers = options.writers;
  // Shared by every batch, so that the rare write which must see no other in flight can take it
  // exclusive (PgConnection::exclude_other_writers).
  o.after_begin_write = "SELECT pg_advisory_xact_lock_shared(" + std::string(kWritersLock) + ")";
  return o;
}

// Migrations and bulk loads from several nodes starting at once must not interleave.
constexpr std::string_view kExclusiveLock = "SELECT pg_advisory_xact_lock(7510462)";

}  // namespace

bool is_postgres_url(std::string_view url) {
  return url.starts_with("postgres://") || url.starts_with("postgresql://");
}

PostgresDatabase::PostgresDatabase(PostgresOptions options)
    : GroupCommitDatabase(pg_group_commit_options(options)),
      options_(options),
      replicas_(options.replicas, options.max_readers) {}

Result<void> PostgresDatabase::read(const Work& work) {
  if (!replicas_.empty()) {
    const auto* route = current_read_route();
    if (route && route->replica_ok)
      if (auto served = replicas_.read(route->principal, work)) return std::move(*served);
  }
  return GroupCommitDatabase::read(work);
}

// The WAL insert position is at or past the commit record just written: a replica that has
// replayed up to it holds these principals' writes.
void PostgresDatabase::on_batch_committed(Connection& writer,
                                          const std::vector<std::string>& principals) {
  if (replicas_.empty()) return;
  auto noted = [&]() -> Result<void> {
    GONGDAN_ASSIGN(auto q, query(writer, "SELECT CAST(pg_current_wal_insert_lsn() AS TEXT)"));
    GONGDAN_ASSIGN(bool row, q.next());
    if (row)
      if (auto lsn = parse_lsn(q.text(0))) replicas_.note_commit(principals, *lsn);
    return {};
  }();
  if (!noted) spdlog::warn("cannot read the commit position: {}", noted.error().message);
}

// Writers of this and other nodes lock rows in whatever order their batches meet them; when two
// wait on each other the server fails one statement of one of them (SQLSTATE 40P01), and that
// task alone rolls back to its savepoint and runs again once its batch has committed. A conflict
// is run again too: a unique row another writer inserted meanwhile (the same Idempotency-Key)
// was committed by the time the server reported it, so the next run finds it and takes the
// other branch; a true conflict fails the same way each time.
bool PostgresDatabase::worth_retrying(const Error& error) const {
  if (error.code == ErrorCode::kConflict) return true;
  return error.code == ErrorCode::kUnavailable &&
         (error.message.find("deadlock detected") != std::string::npos ||
          error.message.find("could not serialize") != std::string::npos);
}

Result<std::unique_ptr<PostgresDatabase>> PostgresDatabase::open(const PostgresOptions& options) {
  std::unique_ptr<PostgresDatabase> db(new PostgresDatabase(options));
  GONGDAN_TRY(db->start());
  return db;
}

PostgresDatabase::~PostgresDatabase() { close(); }

void PostgresDatabase::close() {
  stop_listening_ = true;
  if (listen_thread_.joinable()) listen_thread_.join();
  GroupCommitDatabase::close();
}

void PostgresDatabase::listen(std::string channel, Listener listener) {
  std::lock_guard lock(listeners_mutex_);
  listeners_.emplace_back(std::move(channel), std::move(listener));
  if (!listen_thread_.joinable()) listen_thread_ = std::thread([this] { listen_loop(); });
}

// Holds a connection that LISTENs on every channel asked for, waits on its socket, and hands
// each notification to its listeners. A lost connection is opened again (notifications sent
// meanwhile are lost: listeners must treat them as hints, never as the record).
void PostgresDatabase::listen_loop() {
  std::unique_ptr<PgConnection> conn;
  while (!stop_listening_) {
    if (!conn || conn->broken()) {
      conn.reset();
      auto opened = PgConnection::open(options_.url);
      if (!opened) {
        spdlog::warn("LISTEN connection: {}", opened.error().message);
        for (int i = 0; i < 10 && !stop_listening_; ++i)
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        continue;
      }
      conn = std::move(*opened);
      std::vector<std::string> channels;
      {
        std::lock_guard lock(listeners_mutex_);
        for (const auto& [channel, fn] : listeners_) channels.push_back(channel);
      }
      for (const auto& channel : channels) {
        auto* quoted = PQescapeIdentifier(conn->raw(), channel.c_str(), channel.size());
        if (quoted) {
          (void)conn->exec(std::string("LISTEN ") + quoted);
          PQfreemem(quoted);
        }
      }
    }
    const int fd = PQsocket(conn->raw());
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(fd, &readable);
    timeval timeout{0, 200'000};  // wake up now and then to notice close()
    if (::select(fd + 1, &readable, nullptr, nullptr, &timeout) < 0) continue;
    if (!PQconsumeInput(conn->raw())) continue;  // broken: reopened on the next turn
    while (PGnotify* n = PQnotifies(conn->raw())) {
      const std::string channel = n->relname;
      const std::string payload = n->extra;
      PQfreemem(n);
      std::vector<Listener> targets;
      {
        std::lock_guard lock(listeners_mutex_);
        for (const auto& [c, fn] : listeners_)
          if (c == channel) targets.push_back(fn);
      }
      for (const auto& fn : targets) fn(payload);
    }
  }
}

Result<std::unique_ptr<Connection>> PostgresDatabase::connect(bool writer) const {
  GONGDAN_ASSIGN(auto c, PgConnection::open(options_.url));
  // Readers refuse writes; searches get room for their bitmaps (a lossy bitmap rechecks every
  // row of its pages).
  if (!writer)
    GONGDAN_TRY(c->exec("SET default_transaction_read_only = on; SET work_mem = '16MB'"));
  return std::unique_ptr<Connection>(std::move(c));
}

Result<void> PostgresDatabase::exclusive(const Work& work) {
  return GroupCommitDatabase::exclusive([&work](Connection& c) -> Result<void> {
    GONGDAN_TRY(c.exec(kExclusiveLock));
    return work(c);
  });
}

std::string PostgresDatabase::dialect_ddl(std::string_view ddl) const {
  std::string out(ddl);
  auto replace_all = [&](std::string_view from, std::string_view to) {
    for (auto pos = out.find(from); pos != std::string::npos; pos = out.find(from, pos + to.size()))
      out.replace(pos, from.size(), to);
  };
  replace_all("{{id}}", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
  replace_all("{{blob}}", "BYTEA");
  replace_all("{{now_ms}}", "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)");
  replace_all("{{ticket_number_sequence}}", "CREATE SEQUENCE ticket_number_seq;\n" +
                                                std::string(kSyncTicketNumberSequence) + ";");
  replace_all("{{fts_buckets}}",
              fmt::format("UPDATE ticket_fts SET doc = doc || array_to_tsvector(ARRAY['~' || "
                          "CAST(ticket_id >> {0} AS TEXT)]);\n"
                          "UPDATE message_fts SET doc = doc || array_to_tsvector(ARRAY['~' || "
                          "CAST(message_id >> {0} AS TEXT)]);",
                          kSearchBucketShift));
  std::string blocks;
  for (const auto* t : {"ticket", "message"}) {
    std::string lexemes;
    for (int shift : kSearchBlockShifts)
      lexemes += fmt::format("{}'~{}_' || CAST({}_id >> {} AS TEXT)", lexemes.empty() ? "" : ", ",
                             shift, t, shift);
    blocks +=
        fmt::format("UPDATE {0}_fts SET doc = doc || array_to_tsvector(ARRAY[{1}]);\n", t, lexemes);
  }
  // Every GIN scan also reads the index's whole pending list (new entries not yet merged), and
  // a search makes a dozen scans: at the default 4 MB, 25-30 ms of a search under write load.
  for (const auto* index : {"ticket_fts_doc", "message_fts_doc", "contact_fts_doc"})
    blocks += fmt::format("ALTER INDEX {} SET (gin_pending_list_limit = {});\n", index,
                          kSearchPendingListKb);
  replace_all("{{fts_blocks}}", blocks);
  // Times are milliseconds and ids may pass 2^31: every integer column is 64-bit.
  out = std::regex_replace(out, std::regex(R"(\bINTEGER\b)"), "BIGINT");
  out = std::regex_replace(out, std::regex(R"(\bREAL\b)"), "DOUBLE PRECISION");
  // Full-text search: tsvectors of the text search::index_text prepared (CJK already split into
  // bigrams, so every token is a word to PostgreSQL's parser). English words are stemmed like
  // FTS5's porter tokenizer does, and no word is dropped as a stop word (FTS5 drops none).
  replace_all("{{fts_tickets}}",
              "CREATE TEXT SEARCH DICTIONARY gongdan_stem (TEMPLATE = snowball, "
              "Language = english);\n"
              "CREATE TEXT SEARCH CONFIGURATION gongdan (COPY = simple);\n"
              "ALTER TEXT SEARCH CONFIGURATION gongdan ALTER MAPPING FOR asciiword, asciihword, "
              "hword_asciipart WITH gongdan_stem;\n"
              "CREATE TABLE ticket_fts (ticket_id BIGINT PRIMARY KEY, doc tsvector NOT NULL);\n"
              "CREATE INDEX ticket_fts_doc ON ticket_fts USING gin (doc);");
  replace_all("{{fts_contacts}}",
              "CREATE TABLE contact_fts (user_id BIGINT PRIMARY KEY, doc tsvector NOT NULL);\n"
              "CREATE INDEX contact_fts_doc ON contact_fts USING gin (doc);");
  replace_all("{{fts_messages}}",
              "CREATE TABLE message_fts (message_id BIGINT PRIMARY KEY, doc tsvector NOT NULL);\n"
              "CREATE INDEX message_fts_doc ON message_fts USING gin (doc);");
  return out;
}

}  // namespace gongdan::store
