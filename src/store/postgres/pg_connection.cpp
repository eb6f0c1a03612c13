#include "store/postgres/pg_connection.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <optional>
#include <random>
#include <utility>

#include <fmt/format.h>

namespace gongdan::store {
namespace {

// Type OIDs from pg_type.h (stable across releases).
constexpr unsigned kInt8Oid = 20;
constexpr unsigned kFloat8Oid = 701;
constexpr unsigned kByteaOid = 17;
constexpr unsigned kTextOid = 25;
constexpr unsigned kUnknownOid = 0;

// `r` when it is the answer of a statement that succeeded; otherwise its error (and `r` freed).
Result<pg_result*> succeeded(pg_conn* conn, pg_result* r, std::string_view context) {
  const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) return r;
  auto error = pg_error(conn, r, context);
  PQclear(r);
  return fail(std::move(error));
}

}  // namespace

std::string pg_placeholders(std::string_view sql, int& parameters) {
  std::string out;
  out.reserve(sql.size() + 16);
  parameters = 0;
  char quote = 0;
  for (char ch : sql) {
    if (quote) {
      if (ch == quote) quote = 0;  // a doubled quote closes and reopens: same result
      out += ch;
    } else if (ch == '\'' || ch == '"') {
      quote = ch;
      out += ch;
    } else if (ch == '?') {
      out += '$' + std::to_string(++parameters);
    } else {
      out += ch;
    }
  }
  return out;
}

Error pg_error(pg_conn* conn, const pg_result* result, std::string_view context) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string detail = result ? PQresultErrorMessage(result) : "";
  if (detail.empty() && conn) detail = PQerrorMessage(conn);
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  ErrorCode code = ErrorCode::kInternal;
  const std::string_view s = state ? state : "";
  if (s.starts_with("23")) code = ErrorCode::kConflict;  // integrity constraint violation
  // Serialization failure, deadlock, connection trouble, too many connections, shutdown.
  if (s == "40001" || s == "40P01" || s.starts_with("08") || s == "53300" || s.starts_with("57P"))
    code = ErrorCode::kUnavailable;
  if (conn && PQstatus(conn) != CONNECTION_OK) code = ErrorCode::kUnavailable;
  return Error{code, fmt::format("{}: {}", context, detail), {}};
}

PgStatement::PgStatement(PgConnection& connection, std::string sql, int parameters)
    : connection_(connection),
      sql_(std::move(sql)),
      values_(static_cast<std::size_t>(parameters)),
      null_(static_cast<std::size_t>(parameters), 1),
      types_(static_cast<std::size_t>(parameters), kUnknownOid),
      formats_(static_cast<std::size_t>(parameters), 0) {}

PgStatement::~PgStatement() { reset(); }

void PgStatement::set(int index, std::string value, unsigned type, int format) {
  if (index < 1 || static_cast<std::size_t>(index) > values_.size()) return;
  const auto i = static_cast<std::size_t>(index - 1);
  values_[i] = std::move(value);
  null_[i] = 0;
  types_[i] = type;
  formats_[i] = format;
}

void PgStatement::bind_null(int index) {
  if (index < 1 || static_cast<std::size_t>(index) > values_.size()) return;
  const auto i = static_cast<std::size_t>(index - 1);
  null_[i] = 1;
  types_[i] = kUnknownOid;
}
void PgStatement::bind_int(int index, std::int64_t value) {
  set(index, std::to_string(value), kInt8Oid, 0);
}
void PgStatement::bind_real(int index, double value) {
  set(index, fmt::format("{}", value), kFloat8Oid, 0);
}
void PgStatement::bind_text(int index, std::string_view value) {
  set(index, std::string(value), kTextOid, 0);
}
void PgStatement::bind_blob(int index, std::string_view value) {
  set(index, std::string(value), kByteaOid, 1);
}

Result<void> PgStatement::send(bool wait) {
  GONGDAN_ASSIGN(auto name, connection_.prepared(sql_, types_));
  std::vector<const char*> values(values_.size());
  std::vector<int> lengths(values_.size());
  for (std::size_t i = 0; i < values_.size(); ++i) {
    values[i] = null_[i] ? nullptr : values_[i].data();
    lengths[i] = static_cast<int>(values_[i].size());
  }
  GONGDAN_ASSIGN(result_,
                 connection_.run_prepared(name, static_cast<int>(values.size()), values.data(),
                                          lengths.data(), formats_.data(), wait));
  return {};
}

Result<void> PgStatement::run_later() {
  GONGDAN_TRY(send(false));
  reset();
  return {};
}

Result<void> PgStatement::execute() {
  GONGDAN_TRY(send(true));
  if (!result_) return fail(ErrorCode::kInternal, "query failed: no answer");
  const auto status = PQresultStatus(result_);
  rows_ = status == PGRES_TUPLES_OK ? PQntuples(result_) : 0;
  const char* affected = PQcmdTuples(result_);
  connection_.set_changes(affected && *affected ? std::atoll(affected) : 0);
  row_ = -1;
  return {};
}

Result<bool> PgStatement::step() {
  if (!result_) GONGDAN_TRY(execute());
  if (row_ + 1 >= rows_) {
    row_ = rows_;
    return false;
  }
  ++row_;
  return true;
}

bool PgStatement::is_null(int column) const {
  return !result_ || row_ < 0 || row_ >= rows_ || PQgetisnull(result_, row_, column);
}

std::int64_t PgStatement::column_int(int column) const {
  if (is_null(column)) return 0;
  const char* v = PQgetvalue(result_, row_, column);
  if (v[0] == 't' && v[1] == 0) return 1;  // booleans from comparisons in a select list
  if (v[0] == 'f' && v[1] == 0) return 0;
  std::int64_t n = 0;
  const char* end = v + PQgetlength(result_, row_, column);
  auto [ptr, ec] = std::from_chars(v, end, n);
  if (ec == std::errc() && ptr != end && *ptr == '.')
    return static_cast<std::int64_t>(std::strtod(v, nullptr));
  return n;
}

double PgStatement::column_real(int column) const {
  if (is_null(column)) return 0;
  return std::strtod(PQgetvalue(result_, row_, column), nullptr);
}

std::string PgStatement::column_text(int column) const {
  if (is_null(column)) return {};
  return std::string(PQgetvalue(result_, row_, column),
                     static_cast<std::size_t>(PQgetlength(result_, row_, column)));
}

int PgStatement::column_count() const { return result_ ? PQnfields(result_) : 0; }
std::string PgStatement::column_name(int column) const {
  const char* name = result_ ? PQfname(result_, column) : nullptr;
  return name ? name : "";
}
Statement::Type PgStatement::column_type(int column) const {
  if (is_null(column)) return Type::kNull;
  switch (PQftype(result_, column)) {
    case kInt8Oid:
    case 21:  // int2
    case 23:  // int4
    case 16:  // bool
      return Type::kInteger;
    case kFloat8Oid:
    case 700:  // float4
      return Type::kReal;
    case kByteaOid:
      return Type::kBlob;
    default:
      return Type::kText;
  }
}

void PgStatement::reset() {
  if (result_) PQclear(result_);
  result_ = nullptr;
  row_ = -1;
  rows_ = 0;
  for (std::size_t i = 0; i < values_.size(); ++i) {
    null_[i] = 1;
    types_[i] = kUnknownOid;
    formats_[i] = 0;
    values_[i].clear();
  }
}

Result<std::unique_ptr<PgConnection>> PgConnection::open(const std::string& url) {
  pg_conn* conn = PQconnectdb(url.c_str());
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    std::string detail = conn ? PQerrorMessage(conn) : "out of memory";
    if (conn) PQfinish(conn);
    while (!detail.empty() && detail.back() == '\n') detail.pop_back();
    return fail(ErrorCode::kUnavailable, "cannot connect to PostgreSQL: " + detail);
  }
  std::unique_ptr<PgConnection> c(new PgConnection(conn));
  GONGDAN_TRY(c->exec("SET client_encoding = 'UTF8'; SET client_min_messages = warning"));
  return c;
}

PgConnection::PgConnection(pg_conn* conn) : conn_(conn) {
  // Writers of every node draw theirs independently; two that meet on one only wait as before.
  static thread_local std::mt19937 random{std::random_device{}()};
  count_shard_ = std::uniform_int_distribution<int>(1, kCountShards)(random);
}

PgConnection::~PgConnection() {
  statements_.clear();
  PQfinish(conn_);
}

bool PgConnection::broken() const { return PQstatus(conn_) != CONNECTION_OK; }

Result<Statement*> PgConnection::prepare(std::string_view sql) {
  std::string key(sql);
  if (auto it = statements_.find(key); it != statements_.end()) return it->second.get();
  int parameters = 0;
  auto converted = pg_placeholders(sql, parameters);
  auto statement = std::make_unique<PgStatement>(*this, std::move(converted), parameters);
  auto* raw_statement = statement.get();
  statements_.emplace(std::move(key), std::move(statement));
  return raw_statement;
}

Result<std::string> PgConnection::prepared(const std::string& sql,
                                           const std::vector<unsigned>& types) {
  std::string key = sql;
  key += '\x1f';
  for (auto t : types) key += std::to_string(t) + ",";
  if (auto it = prepared_.find(key); it != prepared_.end()) return it->second;
  GONGDAN_TRY(flush());  // PQprepare waits for its answer, which pipeline mode does not allow
  std::string name = "g" + std::to_string(next_name_++);
  std::vector<Oid> oids(types.begin(), types.end());
  GONGDAN_ASSIGN(pg_result * r, succeeded(conn_,
                                          PQprepare(conn_, name.c_str(), sql.c_str(),
                                                    static_cast<int>(oids.size()),
                                                    oids.empty() ? nullptr : oids.data()),
                                          "prepare failed"));
  PQclear(r);
  prepared_.emplace(std::move(key), name);
  return name;
}

// Statements that need no answer wait in libpq's pipeline mode and travel with the next one
// that does: on the writer, a task's SAVEPOINT, its history and index rows and the batch's
// counters cost no round trip of their own. Answers come back in order; after an error the
// server skips the rest up to the sync, so the first error is the one to report.
void PgConnection::count_changes(pg_result* r) {
  const char* affected = PQcmdTuples(r);
  changes_ = affected && *affected ? std::atoll(affected) : 0;
}

Result<pg_result*> PgConnection::run_prepared(const std::string& name, int n,
                                              const char* const* values, const int* lengths,
                                              const int* formats, bool wait) {
  if (wait && waiting_ == 0) {
    GONGDAN_ASSIGN(
        pg_result * r,
        succeeded(conn_, PQexecPrepared(conn_, name.c_str(), n, values, lengths, formats, 0),
                  "query failed"));
    count_changes(r);
    return r;
  }
  if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && !PQenterPipelineMode(conn_))
    return fail(pg_error(conn_, nullptr, "cannot enter pipeline mode"));
  if (!PQsendQueryPrepared(conn_, name.c_str(), n, values, lengths, formats, 0)) {
    auto error = pg_error(conn_, nullptr, "query failed");
    (void)collect(false);
    return fail(std::move(error));
  }
  ++waiting_;
  // Answers pile up on the server until a sync; a long pipeline must not fill its buffers.
  if (!wait && waiting_ < 256) return static_cast<pg_result*>(nullptr);
  return collect(wait);
}

Result<pg_result*> PgConnection::collect(bool keep_last) {
  const int sent = std::exchange(waiting_, 0);
  std::optional<Error> error;
  pg_result* last = nullptr;
  if (!PQpipelineSync(conn_)) error = pg_error(conn_, nullptr, "query failed");
  int answered = 0;  // PQgetResult ends each statement's answer with a null
  while (!error || PQstatus(conn_) == CONNECTION_OK) {
    pg_result* r = PQgetResult(conn_);
    if (!r) {
      if (++answered > sent + 1 || PQstatus(conn_) != CONNECTION_OK) {
        if (!error) error = pg_error(conn_, nullptr, "query failed");
        break;
      }
      continue;
    }
    const auto status = PQresultStatus(r);
    if (status == PGRES_PIPELINE_SYNC) {
      PQclear(r);
      break;
    }
    if (status == PGRES_FATAL_ERROR && !error) error = pg_error(conn_, r, "query failed");
    if (keep_last && answered == sent - 1 &&
        (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)) {
      if (last) PQclear(last);
      last = r;
    } else {
      PQclear(r);
    }
  }
  if (!PQexitPipelineMode(conn_) && !error)
    error = pg_error(conn_, nullptr, "cannot leave pipeline mode");
  if (error) {
    if (last) PQclear(last);
    return fail(std::move(*error));
  }
  if (last) count_changes(last);
  return last;
}

Result<void> PgConnection::flush() {
  if (waiting_ == 0) return {};
  GONGDAN_TRY(collect(false));
  return {};
}

Result<void> PgConnection::exec(std::string_view sql) {
  GONGDAN_TRY(flush());
  GONGDAN_ASSIGN(pg_result * r,
                 succeeded(conn_, PQexec(conn_, std::string(sql).c_str()), "statement failed"));
  count_changes(r);
  PQclear(r);
  return {};
}

Result<void> PgConnection::notify(std::string_view channel, std::string_view payload) {
  GONGDAN_ASSIGN(auto q, query(*this, "SELECT pg_notify(?, ?)"));
  return q.bind(channel, payload).run_later();
}

Result<void> PgConnection::exclude_other_writers() {
  GONGDAN_ASSIGN(auto q,
                 query(*this, "SELECT pg_advisory_xact_lock(" + std::string(kWritersLock) + ")"));
  return q.run();
}

void PgConnection::trim_statement_cache(std::size_t max_statements) {
  if (prepared_.size() <= max_statements) return;
  statements_.clear();
  prepared_.clear();
  (void)exec("DEALLOCATE ALL");
}

}  // namespace gongdan::store
