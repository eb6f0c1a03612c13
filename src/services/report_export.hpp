// A report's rows and total line as a file: CSV (for the API's export and the scheduled mails'
// attachments) or a one-sheet XLSX workbook (services/xlsx_table).
#pragma once

#include <string>

#include "services/reports_service.hpp"
#include "util/result.hpp"

namespace gongdan::services {

inline constexpr std::string_view kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// key,label,value,count,part with a header, CRLF lines, every text cell quoted (a leading
// = + - @ gets a quote, so a spreadsheet never reads it as a formula).
std::string report_csv(const Report& report);
// The same rows: names stay text, numbers numbers.
Result<std::string> report_xlsx(const Report& report);
// A number as the CSV writes it: whole numbers without a point, else three decimals.
std::string report_number(double v);

}  // namespace gongdan::services
