// `gongdan keys rotate` and `gongdan keys status` (docs/encryption.md): what is encrypted with
// which key, moving every attachment file and sealed secret to the current key, and retiring
// the keys nothing needs any more.
//
// Contract: every step can be interrupted and run again. Files are rewritten one at a time,
// atomically, and never brought back once deleted (AttachmentFiles::reencrypt); a secret is
// re-sealed only if it still holds the value read (a change made meanwhile wins). A key is
// retired only after a count finds nothing under it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "domain/resource.hpp"
#include "services/attachment_files.hpp"
#include "services/key_ring.hpp"
#include "services/secret_box.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

// A table's text column that holds sealed secrets, its rows found by an integer column.
struct SealedPlace {
  std::string table;
  std::string id_column;
  std::string column;
};

// The sealed fields of the declared resources, and the stores that seal outside them (TOTP).
std::vector<SealedPlace> sealed_places(const std::vector<const ResourceInfo*>& resources);

struct KeyUsage {
  std::map<std::string, std::int64_t> files;    // by key id; "" for plaintext files
  std::map<std::string, std::int64_t> secrets;  // by key id
};

struct RotationCounts {
  std::int64_t files_encrypted = 0;
  std::int64_t secrets_resealed = 0;
};

class KeyRotation {
 public:
  KeyRotation(store::Database& db, const Clock& clock, std::shared_ptr<Keys> keys,
              AttachmentFiles& files, std::vector<SealedPlace> places);

  Result<KeyUsage> usage();
  // Moves every file and secret not under the current key to it; `progress` hears each file.
  Result<RotationCounts> move_to_current(const std::function<void(std::int64_t)>& progress = {});
  // Marks `ids` retired in the database and, for a key file, removes them from it.
  Result<void> retire(const std::vector<std::string>& ids);
  Keys& keys() { return *keys_; }

 private:
  store::Database& db_;
  const Clock& clock_;
  std::shared_ptr<Keys> keys_;
  AttachmentFiles& files_;
  std::vector<SealedPlace> places_;
};

}  // namespace gongdan::services
