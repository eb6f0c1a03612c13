// Sealing secrets the server must read back (IMAP and SMTP passwords) with libsodium's
// secretbox (XSalsa20-Poly1305). The 32-byte key lives in a file in the data directory
// (mail.key, mode 0600), made on first use, so a copy of the database alone does not reveal the
// passwords.
//
// Contract: seal() gives "v1:" + base64(nonce || ciphertext); open() refuses anything that was
// not sealed with this key (kInvalidArgument). Thread-safe after construction.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace gongdan::services {

class SecretBox {
 public:
  // Reads the key file, or creates it (durably, 0600) when it does not exist.
  static Result<SecretBox> open_or_create(const std::filesystem::path& key_file);

  std::string seal(std::string_view plain) const;
  Result<std::string> open(std::string_view sealed) const;
  // HMAC-SHA256 (hex) of `data` under a key derived from this one for signing (reply addresses
  // of agents, services/reply_address.hpp): the same key file, never the sealing key itself.
  std::string mac(std::string_view data) const;

 private:
  explicit SecretBox(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace gongdan::services
