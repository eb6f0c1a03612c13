// A table as a one-sheet XLSX workbook (libxlsxwriter), for report exports: text cells are
// written as strings (never formulas, whatever they start with), numbers as numbers.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "util/result.hpp"

namespace gongdan::services {

using XlsxCell = std::variant<std::string, double>;

// The workbook's bytes. `sheet` is the sheet's name (cut to Excel's 31 characters).
Result<std::string> xlsx_table(std::string_view sheet,
                               const std::vector<std::vector<XlsxCell>>& rows);

}  // namespace gongdan::services
