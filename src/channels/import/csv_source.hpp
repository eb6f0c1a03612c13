// The documented CSV format (docs/import.md): one row per message, the ticket's columns on its
// rows (read from its first row), people named by email. Pure; no I/O.
#pragma once

#include <string_view>

#include "domain/import_record.hpp"

namespace gongdan::import {

// Reads `bytes`, the contents of `file` (named in messages). A file that is not UTF-8 or not
// CSV, or lacks the required columns, is one problem and no records; a ticket with a bad row
// is a problem and is left out whole.
ImportData read_csv_export(std::string_view bytes, std::string_view file);

// Our categories by the names exports use (new, open, pending, hold/on_hold, solved/resolved,
// closed); nullopt for anything else.
std::optional<StatusCategory> category_from_name(std::string_view name);

}  // namespace gongdan::import
