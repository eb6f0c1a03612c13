#include "channels/import/csv_reader.hpp"

namespace gongdan::import {

Result<std::vector<CsvRow>> read_csv(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  std::vector<CsvRow> rows;
  CsvRow row{1, {}};
  std::string field;
  std::size_t line = 1;
  std::size_t i = 0;
  bool row_started = false;
  auto end_row = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
    rows.push_back(std::move(row));
    row = CsvRow{line, {}};
    row_started = false;
  };
  while (i < s.size()) {
    const char ch = s[i];
    if (ch == '"' && field.empty()) {
      // A quoted field: up to the quote not followed by another.
      const std::size_t opened = line;
      ++i;
      while (true) {
        if (i >= s.size())
          return fail(ErrorCode::kInvalidArgument,
                      "line " + std::to_string(opened) + ": a quoted field is never closed");
        if (s[i] == '"') {
          if (i + 1 < s.size() && s[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (s[i] == '\n') ++line;
        field.push_back(s[i++]);
      }
      row_started = true;
      if (i < s.size() && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
        return fail(ErrorCode::kInvalidArgument,
                    "line " + std::to_string(line) + ": text after a closing quote");
      continue;
    }
    if (ch == ',') {
      row.fields.push_back(std::move(field));
      field.clear();
      row_started = true;
      ++i;
    } else if (ch == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
      ++i;
    } else if (ch == '\n') {
      ++line;
      ++i;
      end_row();
    } else {
      field.push_back(ch);
      row_started = true;
      ++i;
    }
  }
  if (row_started || !field.empty()) end_row();
  // Blank lines are no records.
  std::erase_if(rows, [](const CsvRow& r) { return r.fields.size() == 1 && r.fields[0].empty(); });
  return rows;
}

}  // namespace gongdan::import
