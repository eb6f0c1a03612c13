// The check that an install runs with the keys its data was encrypted with
// (docs/encryption.md). The database records each key in use by id and fingerprint (never the
// key); start-up, `gongdan doctor` and `gongdan restore` compare the configured ring with it,
// so a missing or different key is refused with a message naming the key, never read as garbage
// and never replaced by a new key made over data it cannot open.
#pragma once

#include <string>
#include <vector>

#include "services/key_ring.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan::services {

struct RecordedKey {
  std::string id;
  std::string fingerprint;
  bool retired = false;
};

Result<std::vector<RecordedKey>> recorded_keys(store::Database& db);
// What is wrong with running `ring` (from `source`) over data that needs `recorded`: one
// sentence per problem, empty when nothing is.
std::vector<std::string> key_problems(const KeyRing& ring, const std::vector<RecordedKey>& recorded,
                                      std::string_view source);
// kUnavailable with key_problems' sentences; else, with `record`, records the ring's keys that
// are not recorded yet (serve and the commands that write).
Result<void> check_keys(store::Database& db, const KeyRing& ring, std::string_view source,
                        Millis now, bool record);

}  // namespace gongdan::services
