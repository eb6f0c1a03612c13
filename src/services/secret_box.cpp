#include "services/secret_box.hpp"

#include <sodium.h>

#include "util/crypto.hpp"

namespace gongdan::services {
namespace {

constexpr std::string_view kSealedV1 = "v1:";
constexpr std::string_view kSealedV2 = "v2:";

// The key id and the base64 box of a sealed value.
std::optional<std::pair<std::string, std::string_view>> sealed_parts(std::string_view sealed) {
  if (sealed.starts_with(kSealedV1)) return std::pair{std::string("k0"), sealed.substr(3)};
  if (!sealed.starts_with(kSealedV2)) return std::nullopt;
  const auto colon = sealed.find(':', kSealedV2.size());
  if (colon == std::string_view::npos || colon == kSealedV2.size()) return std::nullopt;
  return std::pair{std::string(sealed.substr(kSealedV2.size(), colon - kSealedV2.size())),
                   sealed.substr(colon + 1)};
}

}  // namespace

Result<SecretBox> SecretBox::open_or_create(const std::filesystem::path& key_file) {
  auto keys = Keys::load(KeySource{key_file, {}});
  if (!keys && keys.error().code == ErrorCode::kNotFound) keys = Keys::create(key_file);
  if (!keys && keys.error().code == ErrorCode::kConflict)
    keys = Keys::load(KeySource{key_file, {}});
  if (!keys) return fail(keys.error());
  return SecretBox(std::move(*keys));
}

std::optional<std::string> SecretBox::key_of(std::string_view sealed) {
  auto parts = sealed_parts(sealed);
  if (!parts) return std::nullopt;
  return parts->first;
}

std::string SecretBox::seal(std::string_view plain) const {
  const auto ring = keys_->ring();
  const EncryptionKey& key = ring->current();
  std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), nonce,
                        reinterpret_cast<const unsigned char*>(key.bytes.data()));
  return std::string(kSealedV2) + key.id + ":" + crypto::base64(box);
}

Result<std::string> SecretBox::open(std::string_view sealed) const {
  auto parts = sealed_parts(sealed);
  if (!parts) return fail(ErrorCode::kInvalidArgument, "not a sealed secret");
  auto box = crypto::unbase64(parts->second);
  if (!box || box->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    return fail(ErrorCode::kInvalidArgument, "not a sealed secret");
  const auto ring = keys_->ring_with(parts->first);
  const EncryptionKey* key = ring->find(parts->first);
  if (!key)
    return fail(ErrorCode::kInvalidArgument, "the secret was sealed with key " + parts->first +
                                                 ", which the configured keys (" +
                                                 keys_->source().name() + ") lack");
  const auto* nonce = reinterpret_cast<const unsigned char*>(box->data());
  std::string plain(box->size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 nonce + crypto_secretbox_NONCEBYTES,
                                 box->size() - crypto_secretbox_NONCEBYTES, nonce,
                                 reinterpret_cast<const unsigned char*>(key->bytes.data())) != 0)
    return fail(ErrorCode::kInvalidArgument, "the secret was sealed with another key");
  return plain;
}

std::string SecretBox::mac(std::string_view data) const {
  return crypto::hmac_sha256_hex(keys_->ring()->signing_key(), data);
}

}  // namespace gongdan::services
