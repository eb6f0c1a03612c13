// Sealing secrets the server must read back (IMAP and SMTP passwords, OAuth2 and LDAP secrets,
// TOTP secrets, API keys of sources and endpoints) with libsodium's secretbox
// (XSalsa20-Poly1305), under the install's current key (services/key_ring.hpp), so a copy of
// the database alone does not reveal them.
//
// Contract: seal() gives "v2:<key id>:" + base64(nonce || ciphertext); open() also reads the
// "v1:" + base64(…) of releases before key ids (sealed with key k0). open() refuses anything
// that was not sealed with a key of the ring (kInvalidArgument). Thread-safe after construction.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "services/key_ring.hpp"
#include "util/result.hpp"

namespace gongdan::services {

class SecretBox {
 public:
  explicit SecretBox(std::shared_ptr<const Keys> keys) : keys_(std::move(keys)) {}
  // The keys of `key_file`, made (one fresh key, 0600) when there is no such file (tests).
  static Result<SecretBox> open_or_create(const std::filesystem::path& key_file);

  std::string seal(std::string_view plain) const;
  Result<std::string> open(std::string_view sealed) const;
  // The id of the key a sealed value names ("k0" for v1); nullopt when it is not sealed.
  static std::optional<std::string> key_of(std::string_view sealed);
  // HMAC-SHA256 (hex) of `data` under the ring's signing key (reply addresses of agents,
  // services/reply_address.hpp, and the audit chain): never the sealing key itself, and it
  // does not change when the keys rotate.
  std::string mac(std::string_view data) const;
  const Keys& keys() const { return *keys_; }

 private:
  std::shared_ptr<const Keys> keys_;
};

}  // namespace gongdan::services
