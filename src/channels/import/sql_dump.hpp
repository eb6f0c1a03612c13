// Reading the tables of a MySQL or MariaDB dump (what `mysqldump` writes: `CREATE TABLE` with the
// columns, then `INSERT INTO … VALUES (…),(…);`, with or without a column list, strings in single
// quotes with backslash escapes, `NULL`, numbers, `0x…` hex and `_binary '…'` for blobs) without
// a database server. Only what the tables hold is read; everything else a dump says (SET, LOCK,
// comments, conditional comments) is skipped. Pure; no I/O.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/import_record.hpp"

namespace gongdan::import {

struct SqlTable {
  std::vector<std::string> columns;                           // as CREATE TABLE names them
  std::vector<std::vector<std::optional<std::string>>> rows;  // nullopt: NULL
  std::vector<std::size_t> lines;  // the line each row's INSERT starts on

  // The column's index, or nullopt when the table has no such column.
  std::optional<std::size_t> column(std::string_view name) const;
};

struct SqlDump {
  std::map<std::string, SqlTable, std::less<>> tables;
  std::vector<ImportProblem> problems;
};

// The tables of `bytes` that `wanted` accepts by name (the others are skipped, not kept). A row
// with a different number of values than the table has columns is a problem of its own; a
// statement that never ends (a dump cut off) is one problem naming its line.
SqlDump read_sql_dump(std::string_view bytes, std::string_view file,
                      const std::function<bool(std::string_view)>& wanted);

}  // namespace gongdan::import
