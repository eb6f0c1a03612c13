#include "services/file_cipher.hpp"

#include <sodium.h>

#include <algorithm>

namespace gongdan::services {
namespace {

constexpr std::string_view kCipherMark("\0GDENC1\n", 8);
constexpr std::size_t kCipherChunk = 64 * 1024;
constexpr std::size_t kCipherAbytes = crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr std::size_t kCipherHeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;

const unsigned char* cipher_bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Where the secretstream header starts, after the mark and the key id; 0 when malformed.
std::size_t cipher_body_start(std::string_view stored) {
  if (stored.size() < kCipherMark.size() + 1) return 0;
  const auto n = static_cast<unsigned char>(stored[kCipherMark.size()]);
  if (n == 0 || n > 32 || stored.size() < kCipherMark.size() + 1 + n) return 0;
  return kCipherMark.size() + 1 + n;
}

}  // namespace

std::string encrypt_blob(const EncryptionKey& key, std::string_view plain) {
  const std::size_t chunks = plain.size() / kCipherChunk + 1;  // the last may be empty
  std::string out;
  out.reserve(kCipherMark.size() + 1 + key.id.size() + kCipherHeaderBytes + plain.size() +
              chunks * kCipherAbytes);
  out += kCipherMark;
  out += static_cast<char>(key.id.size());
  out += key.id;
  crypto_secretstream_xchacha20poly1305_state state;
  unsigned char header[kCipherHeaderBytes];
  crypto_secretstream_xchacha20poly1305_init_push(&state, header, cipher_bytes(key.bytes));
  out.append(reinterpret_cast<const char*>(header), sizeof header);
  for (std::size_t i = 0; i < chunks; ++i) {
    const std::string_view piece =
        plain.substr(std::min(plain.size(), i * kCipherChunk), kCipherChunk);
    const bool last = i + 1 == chunks;
    const std::size_t at = out.size();
    out.resize(at + piece.size() + kCipherAbytes);
    crypto_secretstream_xchacha20poly1305_push(
        &state, reinterpret_cast<unsigned char*>(out.data() + at), nullptr, cipher_bytes(piece),
        piece.size(), nullptr, 0,
        last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
             : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
  }
  return out;
}

std::optional<std::string> blob_key_id(std::string_view head) {
  if (!head.starts_with(kCipherMark)) return std::nullopt;
  const std::size_t start = cipher_body_start(head);
  if (start == 0) return std::string();  // marked, but its key id is cut off: damaged
  return std::string(head.substr(kCipherMark.size() + 1, start - kCipherMark.size() - 1));
}

Result<std::string> decrypt_blob(const KeyRing& ring, std::string_view stored) {
  if (!stored.starts_with(kCipherMark)) return std::string(stored);
  auto damaged = [] {
    return fail(ErrorCode::kInternal,
                "attachment store: an encrypted file is damaged, or was encrypted with another "
                "key of the same id");
  };
  const std::size_t start = cipher_body_start(stored);
  if (start == 0 || stored.size() < start + kCipherHeaderBytes + kCipherAbytes) return damaged();
  const std::string id(stored.substr(kCipherMark.size() + 1, start - kCipherMark.size() - 1));
  const EncryptionKey* key = ring.find(id);
  if (!key)
    return fail(ErrorCode::kUnavailable, "attachment store: a file is encrypted with key " + id +
                                             ", which the configured keys lack");
  crypto_secretstream_xchacha20poly1305_state state;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&state, cipher_bytes(stored.substr(start)),
                                                      cipher_bytes(key->bytes)) != 0)
    return damaged();
  std::string_view rest = stored.substr(start + kCipherHeaderBytes);
  std::string plain;
  plain.reserve(rest.size());
  for (;;) {
    const std::string_view piece = rest.substr(0, kCipherChunk + kCipherAbytes);
    if (piece.size() < kCipherAbytes) return damaged();
    const std::size_t at = plain.size();
    plain.resize(at + piece.size() - kCipherAbytes);
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(
            &state, reinterpret_cast<unsigned char*>(plain.data() + at), nullptr, &tag,
            cipher_bytes(piece), piece.size(), nullptr, 0) != 0)
      return damaged();
    rest.remove_prefix(piece.size());
    if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
      if (!rest.empty()) return damaged();  // bytes after the end
      return plain;
    }
    if (rest.empty()) return damaged();  // cut short before its final chunk
  }
}

}  // namespace gongdan::services
