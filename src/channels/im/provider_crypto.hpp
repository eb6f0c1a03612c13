// The primitives the IM providers build their callback protection from (OpenSSL underneath):
// AES-256-CBC without padding (each provider pads its own way: WeCom to 32 bytes, Feishu to 16),
// SHA-1 and SHA-256 digests, and strict standard base64. Pure functions over bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gongdan::channels::im {

// `data` must be a whole number of 16-byte blocks; `key` 32 bytes, `iv` 16. nullopt otherwise.
std::optional<std::string> aes256_cbc_decrypt(std::string_view key, std::string_view iv,
                                              std::string_view data);
std::optional<std::string> aes256_cbc_encrypt(std::string_view key, std::string_view iv,
                                              std::string_view data);

// PKCS#7 with blocks of `block` bytes (1 to 255): pad adds 1..block bytes; unpad checks them.
std::string pkcs7_pad(std::string data, std::size_t block);
std::optional<std::string> pkcs7_unpad(std::string data, std::size_t block);

std::string sha1_hex(std::string_view data);
std::string sha256_raw(std::string_view data);
std::string sha256_hex_of(std::string_view data);

// RFC 4648 standard alphabet; padding optional on decode; anything else is nullopt.
std::optional<std::string> base64_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);

}  // namespace gongdan::channels::im
