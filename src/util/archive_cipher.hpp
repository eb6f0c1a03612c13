// Encryption of a whole backup archive (gongdan backup --encrypt): libsodium's secretstream
// (XChaCha20-Poly1305) over 64 KiB chunks, so a file of any size is sealed in one pass and read
// back in one pass, and a chunk that was changed, dropped, reordered or cut off is detected.
//
// The file: "GDBACKUP", a format byte (1), how the key was made (1: a key file, 2: a passphrase,
// then the Argon2id salt, operations and memory limit it used), the stream's 24-byte header,
// then chunks, each a 4-byte little-endian length and that many bytes of ciphertext; the last
// chunk carries the FINAL tag and nothing may follow it.
//
// The key: BLAKE2b of a key file's bytes (at least 32 of them, e.g. head -c 32 /dev/urandom),
// or Argon2id of a passphrase (at least 8 characters) with a random salt.
#pragma once

#include <array>
#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace gongdan::archive_cipher {

inline constexpr std::string_view kMagic = "GDBACKUP";

enum class KeyKind : std::uint8_t { kKeyFile = 1, kPassphrase = 2 };

// What the file's header says about its key, and the key once made.
struct Key {
  KeyKind kind = KeyKind::kKeyFile;
  std::string salt;  // kPassphrase: 16 bytes
  std::uint64_t ops_limit = 0;
  std::uint64_t mem_limit = 0;
  std::array<unsigned char, 32> bytes{};
};

// A key from a key file's contents; kInvalidArgument when it holds fewer than 32 bytes.
Result<Key> key_from_file_bytes(std::string_view contents);
// A new key from a passphrase (a fresh salt): for writing.
Result<Key> new_passphrase_key(std::string_view passphrase);

// True when `head` (the first bytes of a file) starts like an encrypted archive.
bool is_encrypted(std::string_view head);

// The key header of an encrypted archive at the start of `in` (consumed): which kind of key
// it wants, and for a passphrase its salt and limits. kInvalidArgument for a damaged header
// (or limits beyond what a backup of ours uses, so a crafted file cannot make us hash for
// hours).
Result<Key> read_key_header(std::istream& in);
// The key a passphrase makes with the salt and limits of `header`.
Result<Key> passphrase_key(const Key& header, std::string_view passphrase);

// An ostream's buffer that seals what is written into `out`. finish() writes the last chunk;
// without it the archive reads as cut off.
class SealingBuffer : public std::streambuf {
 public:
  SealingBuffer(std::ostream& out, const Key& key);
  ~SealingBuffer() override;
  Result<void> finish();

 protected:
  int_type overflow(int_type c) override;
  int sync() override;

 private:
  bool seal(bool last);
  struct State;
  std::unique_ptr<State> state_;
  std::ostream& out_;
  std::string buffer_;
  bool failed_ = false;
  bool finished_ = false;
};

// An istream's buffer that opens what `in` holds after read_key_header. A failure ends the
// stream early; error() then says why (wrong key, damaged, cut off), and a caller whose reader
// saw the early end reports that instead.
class OpeningBuffer : public std::streambuf {
 public:
  OpeningBuffer(std::istream& in, const Key& key);
  ~OpeningBuffer() override;
  // Set once the stream ended for any reason but the FINAL chunk followed by the file's end.
  const std::optional<Error>& error() const { return error_; }

 protected:
  int_type underflow() override;

 private:
  bool open_next();
  struct State;
  std::unique_ptr<State> state_;
  std::istream& in_;
  std::string buffer_;
  std::uint64_t chunks_ = 0;
  bool done_ = false;
  std::optional<Error> error_;
};

}  // namespace gongdan::archive_cipher
