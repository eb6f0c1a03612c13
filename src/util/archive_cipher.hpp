// Encryption of a whole backup archive (gongdan backup --encrypt): libsodium's secretstream
// (XChaCha20-Poly1305) over 64 KiB chunks, so a file of any size is sealed in one pass and read
// back in one pass, and a chunk that was changed, dropped, reordered or cut off is detected.
//
// The file: "GDBACKUP", a format byte (2), how the key was made (1: a key file, 2: a passphrase,
// then the Argon2id salt, operations and memory limit it used), the stream's 24-byte header,
// then the header's checks, then chunks, each a 4-byte little-endian length and that many bytes
// of ciphertext; the last chunk carries the FINAL tag and nothing may follow it.
//
// The header's checks (format 2), so that a changed header is told apart from a wrong key and
// refused before anything is opened: a 16-byte key check (BLAKE2b keyed with the key over a
// fixed text: only the right key makes it), a 32-byte MAC (BLAKE2b keyed with the key over the
// header and the key check: any changed field), and a 32-byte checksum (plain BLAKE2b over all
// of it: damage is found before a passphrase is even hashed). The first chunk also carries the
// header as additional data. Whoever changes the header and recomputes the checksum is still
// refused: as a changed header when the key does not depend on the header (a key file, or the
// stream's header), and as a wrong passphrase when they changed the salt or limits the
// passphrase's key is made with (no one without the passphrase can tell those apart). Format 1
// archives (before these checks) have none of them and still open.
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

// What an encrypted archive's header holds.
struct Header {
  std::uint8_t format = 0;
  Key key;                    // which kind of key, and a passphrase's salt and limits; no bytes
  std::string bytes;          // format 2: the header up to the stream's header, as written
  std::string stream_header;  // format 2 (format 1: read by the OpeningBuffer)
  std::string key_check;      // format 2
  std::string mac;            // format 2
};

// The header of an encrypted archive at the start of `in` (consumed). kInvalidArgument for a
// damaged or changed header (format 2's checksum), an unknown format, or limits beyond what a
// backup of ours uses (so a crafted file cannot make us hash for hours).
Result<Header> read_header(std::istream& in);
// Whether `key` is the one `header` was sealed with, and the header is as it was sealed:
// "wrong backup key or passphrase", or "damaged or tampered with". Format 1 has nothing to
// check here (its first chunk tells a wrong key).
Result<void> check_key(const Header& header, const Key& key);
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
  std::string first_chunk_data_;
  std::uint64_t chunks_ = 0;
  bool failed_ = false;
  bool finished_ = false;
};

// An istream's buffer that opens what `in` holds after read_header (check_key is run first). A
// failure ends the stream early; error() then says why (wrong key, damaged, cut off), and a caller
// whose reader saw the early end reports that instead.
class OpeningBuffer : public std::streambuf {
 public:
  OpeningBuffer(std::istream& in, const Header& header, const Key& key);
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
  std::string first_chunk_data_;  // format 2: the header, as the first chunk's additional data
  std::uint64_t chunks_ = 0;
  bool done_ = false;
  std::optional<Error> error_;
};

}  // namespace gongdan::archive_cipher
