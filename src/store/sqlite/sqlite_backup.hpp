// A consistent copy of a live SQLite database with SQLite's online backup API: one read
// transaction copies every page, so writers (in this process or another, WAL mode) go on while
// it runs and the copy is the database as of one commit.
#pragma once

#include <filesystem>

#include "util/result.hpp"

namespace gongdan::store {

// Copies the database at `source` into a new file at `target` (which must not exist) and
// fsyncs it.
Result<void> backup_sqlite(const std::filesystem::path& source,
                           const std::filesystem::path& target);

}  // namespace gongdan::store
