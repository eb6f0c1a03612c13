#include "store/copy_data.hpp"

#include <fmt/format.h>

#include "store/schema.hpp"
#include "util/crypto.hpp"

namespace gongdan::store {
namespace {

// Table and column names come from the source's own catalogue, never from a user; quoting them
// still keeps a strange name from breaking the statement.
std::string quoted(std::string_view name) {
  std::string out = "\"";
  for (char ch : name) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + '"';
}

// One row as bytes that do not depend on the engine: typed, length-prefixed values.
std::string canonical_row(Statement& s) {
  std::string row;
  for (int i = 0; i < s.column_count(); ++i) {
    switch (s.column_type(i)) {
      case Statement::Type::kNull:
        row += "N;";
        break;
      case Statement::Type::kInteger:
        row += fmt::format("I{};", s.column_int(i));
        break;
      case Statement::Type::kReal:
        row += fmt::format("R{};", s.column_real(i));
        break;
      default: {
        auto text = s.column_text(i);
        row += fmt::format("T{}:", text.size());
        row += text;
        break;
      }
    }
  }
  return row;
}

Result<std::int64_t> count_rows(Connection& c, const std::string& table) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT COUNT(*) FROM " + quoted(table)));
  GONGDAN_ASSIGN(bool row, q.next());
  return row ? q.integer(0) : 0;
}

// The sum (mod 2^64) of the first 16 hex digits of each row's SHA-256: the same rows give the
// same sum in any order, on any engine.
Result<TableCheck> checksum(Connection& c, const std::string& table, TableCheck check,
                            bool source) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT * FROM " + quoted(table)));
  std::uint64_t sum = 0;
  std::int64_t rows = 0;
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    ++rows;
    sum += std::stoull(crypto::sha256_hex(canonical_row(q.statement())).substr(0, 16), nullptr, 16);
  }
  (source ? check.source_rows : check.target_rows) = rows;
  (source ? check.source_checksum : check.target_checksum) = fmt::format("{:016x}", sum);
  return check;
}

Result<void> copy_table(Connection& from, Connection& to, const std::string& table, Engine engine) {
  GONGDAN_ASSIGN(auto rows, query(from, "SELECT * FROM " + quoted(table)));
  Statement& in = rows.statement();
  bool has_id = false;
  std::string insert;
  while (true) {
    GONGDAN_ASSIGN(bool row, rows.next());
    if (!row) break;
    if (insert.empty()) {
      std::string columns, marks;
      for (int i = 0; i < in.column_count(); ++i) {
        columns += (i ? ", " : "") + quoted(in.column_name(i));
        marks += i ? ", ?" : "?";
        has_id = has_id || in.column_name(i) == "id";
      }
      insert = fmt::format("INSERT INTO {} ({}) VALUES ({})", quoted(table), columns, marks);
    }
    GONGDAN_ASSIGN(auto out, query(to, insert));
    Statement& o = out.statement();
    for (int i = 0; i < in.column_count(); ++i) {
      switch (in.column_type(i)) {
        case Statement::Type::kNull:
          o.bind_null(i + 1);
          break;
        case Statement::Type::kInteger:
          o.bind_int(i + 1, in.column_int(i));
          break;
        case Statement::Type::kReal:
          o.bind_real(i + 1, in.column_real(i));
          break;
        case Statement::Type::kBlob:
          o.bind_blob(i + 1, in.column_text(i));
          break;
        case Statement::Type::kText:
          o.bind_text(i + 1, in.column_text(i));
          break;
      }
    }
    GONGDAN_TRY(out.run_later());  // PostgreSQL: many rows per round trip
  }
  GONGDAN_TRY(to.flush());
  if (engine == Engine::kPostgres && has_id) {
    // Identity columns do not notice explicit ids: start them after the copied ones.
    GONGDAN_TRY(to.exec(fmt::format(
        "SELECT setval(pg_get_serial_sequence('{0}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 "
        "FROM {1}), false)",
        table, quoted(table))));
  }
  return {};
}

}  // namespace

Result<std::vector<std::string>> copyable_tables(Database& source) {
  std::vector<std::string> tables;
  GONGDAN_TRY(source.read([&](Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto q, query(c,
                                 "SELECT name FROM sqlite_master WHERE type = 'table' "
                                 "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                                 "AND name NOT LIKE '%\\_fts%' ESCAPE '\\' "
                                 "AND name <> 'schema_migrations' ORDER BY rowid"));
    GONGDAN_ASSIGN(tables, read_texts(q));
    return {};
  }));
  return tables;
}

Result<void> copy_tables(Database& source, Database& target,
                         const std::vector<std::string>& tables) {
  return source.read([&](Connection& from) -> Result<void> {
    return target.exclusive([&](Connection& to) -> Result<void> {
      for (const auto* guard : {"tickets", "users"}) {
        GONGDAN_ASSIGN(auto n, count_rows(to, guard));
        if (n > 0)
          return fail(
              ErrorCode::kConflict,
              fmt::format("the target already holds {} (it must be a new database)", guard));
      }
      // Seed rows of the target's migrations make way for the source's, children first.
      for (auto it = tables.rbegin(); it != tables.rend(); ++it)
        GONGDAN_TRY(to.exec("DELETE FROM " + quoted(*it)));
      for (const auto& table : tables) {
        auto copied = copy_table(from, to, table, target.engine());
        if (!copied) {
          auto error = copied.error();
          error.message = "copying " + table + ": " + error.message;
          return fail(std::move(error));
        }
      }
      if (target.engine() == Engine::kPostgres) GONGDAN_TRY(to.exec(kSyncTicketNumberSequence));
      return {};
    });
  });
}

Result<std::vector<TableCheck>> compare_tables(Database& source, Database& target,
                                               const std::vector<std::string>& tables) {
  std::vector<TableCheck> checks;
  for (const auto& table : tables) checks.push_back(TableCheck{table});
  GONGDAN_TRY(source.read([&](Connection& c) -> Result<void> {
    for (auto& check : checks) {
      GONGDAN_ASSIGN(check, checksum(c, check.table, check, true));
    }
    return {};
  }));
  GONGDAN_TRY(target.read([&](Connection& c) -> Result<void> {
    for (auto& check : checks) {
      GONGDAN_ASSIGN(check, checksum(c, check.table, check, false));
    }
    return {};
  }));
  return checks;
}

}  // namespace gongdan::store
