// The encryption keys of an install (docs/encryption.md): the key that encrypts new attachment
// files and seals new secrets, the older keys still read, and the signing key the audit chain
// and reply addresses are MACed with.
//
// Contract:
// - A KeyRing is a value: its first key is the current one; every key has an id ("k3") that
//   sealed secrets and encrypted files carry, so a file written before a rotation names the key
//   that opens it. The signing key never rotates (a rotation would break the audit chain and
//   every reply address already sent).
// - Text form (a key file, or GONGDAN_KEYS, where a one-line text separates lines by ';'):
//     gongdan-keys v1
//     signing <64 hex digits>
//     key k2 <base64 of 32 bytes>     <- current
//     key k1 <base64 of 32 bytes>     <- older, still read
//   A file of exactly 32 bytes is the key file of releases before key ids (mail.key): key "k0",
//   signing key derived from it as those releases did.
// - Keys holds the ring an install runs with. A ring from a file is re-read when the file
//   changes (checked at most once a second, or at once when a key id is asked for that the ring
//   lacks), so a running server follows `gongdan keys rotate`. Thread-safe.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace gongdan::services {

struct EncryptionKey {
  std::string id;     // "k1"
  std::string bytes;  // 32 bytes
  // 16 hex digits that tell keys apart without revealing them (backups and the database name
  // the keys they need by id and fingerprint).
  std::string fingerprint() const;
};

class KeyRing {
 public:
  // `where` names the source in error messages.
  static Result<KeyRing> parse(std::string_view text, std::string_view where);
  // A ring of one fresh key ("k1") and a fresh signing key.
  static KeyRing generate();

  std::string text() const;
  const EncryptionKey& current() const { return keys_.front(); }
  const EncryptionKey* find(std::string_view id) const;
  const std::vector<EncryptionKey>& keys() const { return keys_; }
  const std::string& signing_key() const { return signing_; }
  // The same ring with a fresh key in front, named one above the highest id held.
  KeyRing with_new_key() const;
  // The same ring without these keys (never the current one).
  KeyRing without(const std::vector<std::string>& ids) const;

 private:
  std::vector<EncryptionKey> keys_;  // never empty
  std::string signing_;              // hex, used as an HMAC key
};

// Where the keys come from: a file, or their text itself (the GONGDAN_KEYS variable).
struct KeySource {
  std::filesystem::path file;
  std::string text;
  bool from_environment() const { return file.empty(); }
  std::string name() const { return from_environment() ? "GONGDAN_KEYS" : file.string(); }
};

class Keys {
 public:
  // The ring of `source`; kNotFound when its file does not exist.
  static Result<std::shared_ptr<Keys>> load(KeySource source);
  // A new key file with a generated ring (mode 0600, written durably); kConflict when the file
  // exists already.
  static Result<std::shared_ptr<Keys>> create(const std::filesystem::path& file);
  // A fixed ring (tests).
  static std::shared_ptr<Keys> of(KeyRing ring);

  std::shared_ptr<const KeyRing> ring() const;
  // The ring, re-read first when it lacks `id` and its file has changed.
  std::shared_ptr<const KeyRing> ring_with(std::string_view id) const;
  // Replaces the file's ring atomically and durably (kInvalidArgument for keys from the
  // environment, which only the operator can change).
  Result<void> save(const KeyRing& ring);
  const KeySource& source() const { return source_; }

 private:
  Keys(KeySource source, KeyRing ring);
  void refresh(bool now) const;

  KeySource source_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const KeyRing> ring_;                 // guarded by mutex_
  mutable std::chrono::steady_clock::time_point checked_at_{};  // guarded by mutex_
  mutable std::string stamp_;  // the file's inode, size and mtime when read; guarded by mutex_
};

}  // namespace gongdan::services
