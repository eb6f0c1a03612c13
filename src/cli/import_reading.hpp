// Reading another help desk's export from disk into import records: which files each format
// has, and the attachments' bytes. The formats themselves are parsed by channels/import.
#pragma once

#include <filesystem>
#include <string>

#include "domain/import_record.hpp"
#include "util/result.hpp"

namespace gongdan::cli {

enum class ImportFormat { kCsv, kZendesk, kFreshdesk, kRt, kOsticket };

// The records of the export at `path` (a CSV file, an osTicket database dump, or the folder of
// a Zendesk, Freshdesk or Request Tracker export). A file that is missing or unreadable is an
// error; a record that cannot be read is a problem in the answer.
Result<ImportData> read_export(ImportFormat format, const std::filesystem::path& path);

// The folder attachments' locations are relative to.
std::filesystem::path export_folder(ImportFormat format, const std::filesystem::path& path);

// Reads the bytes of each attachment of `ticket` from `folder`. One that is missing, outside
// the folder or larger than `limit` is left out and described in `notes`.
void read_attachments(ImportTicket& ticket, const std::filesystem::path& folder, std::int64_t limit,
                      std::vector<ImportProblem>& notes);

}  // namespace gongdan::cli
