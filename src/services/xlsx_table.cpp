#include "services/xlsx_table.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gongdan::services {
namespace {

// libxlsxwriter 1.1.4 (Debian 12) writes only to a file: a private temporary one, removed when
// done.
struct TempFile {
  std::string path;
  TempFile() {
    std::string pattern = (std::filesystem::temp_directory_path() / "gongdan-xlsx-XXXXXX").string();
    const int fd = mkstemp(pattern.data());
    if (fd >= 0) {
      ::close(fd);
      path = std::move(pattern);
    }
  }
  ~TempFile() {
    if (!path.empty()) std::remove(path.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
};

}  // namespace

Result<std::string> xlsx_table(std::string_view sheet,
                               const std::vector<std::vector<XlsxCell>>& rows) {
  TempFile file;
  if (file.path.empty()) return fail(ErrorCode::kInternal, "no temporary file for the workbook");
  lxw_workbook* book = workbook_new(file.path.c_str());
  if (!book) return fail(ErrorCode::kInternal, "the workbook could not be started");
  const std::string name(sheet.substr(0, 31));
  lxw_worksheet* ws = workbook_add_worksheet(book, name.c_str());
  lxw_error error = ws ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;
  for (std::size_t r = 0; r < rows.size() && ws && error == LXW_NO_ERROR; ++r) {
    for (std::size_t c = 0; c < rows[r].size() && error == LXW_NO_ERROR; ++c) {
      const auto row = static_cast<lxw_row_t>(r);
      const auto col = static_cast<lxw_col_t>(c);
      if (const auto* text = std::get_if<std::string>(&rows[r][c]))
        error = worksheet_write_string(ws, row, col, text->c_str(), nullptr);
      else
        error = worksheet_write_number(ws, row, col, std::get<double>(rows[r][c]), nullptr);
    }
  }
  const lxw_error closed = workbook_close(book);
  if (error != LXW_NO_ERROR || closed != LXW_NO_ERROR)
    return fail(ErrorCode::kInternal, std::string("the workbook could not be written: ") +
                                          lxw_strerror(error != LXW_NO_ERROR ? error : closed));
  std::ifstream in(file.path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace gongdan::services
