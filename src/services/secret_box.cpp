#include "services/secret_box.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <optional>

#include "util/crypto.hpp"

namespace gongdan::services {
namespace {

constexpr std::string_view kSealedPrefix = "v1:";

std::string to_base64(std::string_view raw) {
  std::string out(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.find('\0'));
  return out;
}

std::optional<std::string> from_base64(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

}  // namespace

Result<SecretBox> SecretBox::open_or_create(const std::filesystem::path& key_file) {
  if (sodium_init() < 0) return fail(ErrorCode::kInternal, "libsodium failed to initialise");
  std::ifstream in(key_file, std::ios::binary);
  if (in) {
    std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (key.size() != crypto_secretbox_KEYBYTES)
      return fail(ErrorCode::kInternal, "the key file " + key_file.string() + " is damaged");
    return SecretBox(std::move(key));
  }
  std::string key(crypto_secretbox_KEYBYTES, '\0');
  crypto_secretbox_keygen(reinterpret_cast<unsigned char*>(key.data()));
  const int fd = ::open(key_file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    // Another process may have just made it: read that one.
    std::ifstream again(key_file, std::ios::binary);
    std::string other((std::istreambuf_iterator<char>(again)), std::istreambuf_iterator<char>());
    if (other.size() == crypto_secretbox_KEYBYTES) return SecretBox(std::move(other));
    return fail(ErrorCode::kUnavailable, "cannot create the key file " + key_file.string());
  }
  const bool written =
      ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return fail(ErrorCode::kUnavailable, "cannot write " + key_file.string());
  return SecretBox(std::move(key));
}

std::string SecretBox::seal(std::string_view plain) const {
  std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), nonce,
                        reinterpret_cast<const unsigned char*>(key_.data()));
  return std::string(kSealedPrefix) + to_base64(box);
}

Result<std::string> SecretBox::open(std::string_view sealed) const {
  if (!sealed.starts_with(kSealedPrefix))
    return fail(ErrorCode::kInvalidArgument, "not a sealed secret");
  auto box = from_base64(sealed.substr(kSealedPrefix.size()));
  if (!box || box->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    return fail(ErrorCode::kInvalidArgument, "not a sealed secret");
  const auto* nonce = reinterpret_cast<const unsigned char*>(box->data());
  std::string plain(box->size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 nonce + crypto_secretbox_NONCEBYTES,
                                 box->size() - crypto_secretbox_NONCEBYTES, nonce,
                                 reinterpret_cast<const unsigned char*>(key_.data())) != 0)
    return fail(ErrorCode::kInvalidArgument, "the secret was sealed with another key");
  return plain;
}

std::string SecretBox::mac(std::string_view data) const {
  const std::string signing_key = crypto::hmac_sha256_hex(key_, "gongdan signing key v1");
  return crypto::hmac_sha256_hex(signing_key, data);
}

}  // namespace gongdan::services
