// Encryption of the attachment store's files (docs/encryption.md) with libsodium's
// crypto_secretstream (XChaCha20-Poly1305), in chunks of 64 KiB, so a file cut short, reordered
// or altered is refused rather than read as garbage.
//
// Layout of an encrypted file:
//   8 bytes  "\0GDENC1\n" (a plaintext file of an older release never starts so: see below)
//   1 byte   n, the length of the key id, 1 to 32
//   n bytes  the key id ("k2"), so a file outlives the rotation that retires nothing it needs
//   24 bytes the secretstream header
//   chunks   each 64 KiB of plaintext + 17 bytes; the last (possibly empty) is tagged FINAL
// A file without the 8-byte mark is plaintext from before encryption, read as it is until
// `gongdan keys rotate` encrypts it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "services/key_ring.hpp"
#include "util/result.hpp"

namespace gongdan::services {

// The bytes the layout starts with; fewer than these tell whether and with which key a file
// is encrypted (blob_key_id).
constexpr std::size_t kCipherHeadBytes = 8 + 1 + 32;

std::string encrypt_blob(const EncryptionKey& key, std::string_view plain);
// The key id a file's first bytes name; nullopt for plaintext.
std::optional<std::string> blob_key_id(std::string_view head);
// Plaintext back: the bytes themselves when they are not encrypted. kUnavailable when `ring`
// lacks the key (naming it), kInternal when the file is damaged or was encrypted with another
// key of that id.
Result<std::string> decrypt_blob(const KeyRing& ring, std::string_view stored);

}  // namespace gongdan::services
