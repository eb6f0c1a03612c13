#include "services/report_export.hpp"

#include <cstdio>

#include "services/xlsx_table.hpp"

namespace gongdan::services {
namespace {

std::string csv_cell(const std::string& text) {
  // Quoted always; a leading = + - @ would be a formula to a spreadsheet, so it gets a quote.
  std::string out = "\"";
  if (!text.empty() && std::string_view("=+-@").find(text.front()) != std::string_view::npos)
    out += '\'';
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

// The report's rows, then its total as a row named "total".
std::vector<ReportRow> rows_and_total(const Report& report) {
  auto rows = report.rows;
  auto total = report.total;
  total.key = total.label = "total";
  rows.push_back(std::move(total));
  return rows;
}

}  // namespace

std::string report_number(double v) {
  if (v == static_cast<double>(static_cast<std::int64_t>(v)))
    return std::to_string(static_cast<std::int64_t>(v));
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", v);
  return buffer;
}

std::string report_csv(const Report& report) {
  std::string body = "key,label,value,count,part\r\n";
  for (const auto& row : rows_and_total(report))
    body += csv_cell(row.key) + "," + csv_cell(row.label) + "," + report_number(row.value) + "," +
            std::to_string(row.count) + "," + std::to_string(row.part) + "\r\n";
  return body;
}

Result<std::string> report_xlsx(const Report& report) {
  std::vector<std::vector<XlsxCell>> rows{{"key", "label", "value", "count", "part"}};
  for (const auto& row : rows_and_total(report))
    rows.push_back({row.key, row.label, row.value, static_cast<double>(row.count),
                    static_cast<double>(row.part)});
  return xlsx_table(report.metric, rows);
}

}  // namespace gongdan::services
