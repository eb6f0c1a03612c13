// Waits until a file (or a directory's entries) is on the disk (fsync), for code that must not
// acknowledge a copy a crash could still lose: backups, restores.
#pragma once

#include <filesystem>

#include "util/result.hpp"

namespace gongdan {

// fsync of `path`, a file or a directory; kInternal "cannot sync <path>" when it cannot be
// opened or synced.
Result<void> sync_file(const std::filesystem::path& path);

}  // namespace gongdan
