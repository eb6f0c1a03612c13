// RFC 4180 CSV: fields separated by commas, records by CRLF or LF, fields in double quotes may
// hold commas, line breaks and doubled quotes. Pure; no I/O.
//
// Contract: never throws; any input gives rows or one error naming the line where it went
// wrong (a quote left open, text after a closing quote). A UTF-8 byte-order mark is skipped.
// Each row remembers the line it starts on.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace gongdan::import {

struct CsvRow {
  std::size_t line = 0;
  std::vector<std::string> fields;
};

Result<std::vector<CsvRow>> read_csv(std::string_view bytes);

}  // namespace gongdan::import
