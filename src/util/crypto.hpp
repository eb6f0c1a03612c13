// Small wrappers over libsodium: random secrets, SHA-256, constant-time comparison and
// Argon2id password hashes. sodium_init() runs once, on first use.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace gongdan::crypto {

// `bytes` random bytes, URL-safe base64 without padding.
std::string random_token(std::size_t bytes = 32);
// `bytes` random bytes as they are (keys and TOTP secrets).
std::string random_bytes(std::size_t bytes);
std::string sha256_hex(std::string_view data);
// SHA-256 of data given in pieces (a file read in chunks).
class Sha256 {
 public:
  Sha256();
  void update(std::string_view data);
  std::string hex_digest();  // once, after the last update

 private:
  alignas(64) unsigned char state_[512];  // crypto_hash_sha256_state, kept opaque here
};
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
// Standard base64 with padding; unbase64 gives nothing for text that is not base64.
std::string base64(std::string_view raw);
std::optional<std::string> unbase64(std::string_view text);
// The same MAC in standard base64 with padding (what DingTalk and Feishu bots expect).
std::string hmac_sha256_base64(std::string_view key, std::string_view data);
// gongdan's signature of a body it signs or checks (webhooks, inbound sources, replies through
// them; docs/channels.md): "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body).
std::string body_signature(std::string_view secret, std::string_view timestamp,
                           std::string_view body);
bool equal_constant_time(std::string_view a, std::string_view b);

// Argon2id with OWASP's parameters (19 MiB, 2 passes): slow enough against guessing, cheap
// enough that a burst of sign-ins does not exhaust memory.
Result<std::string> hash_password(std::string_view password);
bool verify_password(std::string_view encoded_hash, std::string_view password);

}  // namespace gongdan::crypto
