// Where an install's encryption keys come from and how a command opens them
// (docs/encryption.md): GONGDAN_KEYS, else the configured key_file, else <data>/mail.key.
#pragma once

#include <memory>

#include "cli/config.hpp"
#include "services/key_ring.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::cli {

services::KeySource key_source(const Config& config);
// Whether the keys are inside the data directory (then a copy of it, or a backup, holds them).
bool keys_in_data_directory(const Config& config);
// The install's keys, checked against those its database records; a new install (nothing
// recorded) gets a new key file. With `record`, keys not recorded yet are recorded.
Result<std::shared_ptr<services::Keys>> open_keys(const Config& config, store::Database& db,
                                                  Millis now, bool record);

}  // namespace gongdan::cli
