// The encryption keys' text (a key file, GONGDAN_KEYS) and an attachment file's bytes as the
// fuzzer drives them: the first byte chooses which, the rest is the input. Promises: a ring that
// parses writes a text that parses to the same ring; a file either decrypts or is refused, and
// one that decrypts, encrypted again with the same key, decrypts to the same bytes. Shared by the
// libFuzzer entry point and the unit test that replays the corpus
// (tests/unit/services/key_ring_test.cpp).
#pragma once

#include <string>
#include <string_view>

#include "services/file_cipher.hpp"
#include "services/key_ring.hpp"

namespace gongdan::fuzz {

// The ring the file half decrypts with: fixed, so seeds made with it stay valid.
inline const services::KeyRing& fuzz_key_ring() {
  static const services::KeyRing ring = *services::KeyRing::parse(
      "gongdan-keys v1\n"
      "signing 0000000000000000000000000000000000000000000000000000000000000000\n"
      "key k1 AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\n",
      "fuzz");
  return ring;
}

// "" when every promise holds, else the first one broken.
inline std::string broken_key_promise(std::string_view input) {
  if (input.empty()) return {};
  const std::string_view rest = input.substr(1);
  if (input[0] % 2 == 0) {
    auto ring = services::KeyRing::parse(rest, "fuzz");
    if (!ring) return {};
    auto again = services::KeyRing::parse(ring->text(), "fuzz");
    if (!again || again->text() != ring->text()) return "a parsed ring does not read back";
    return {};
  }
  const auto& ring = fuzz_key_ring();
  auto plain = services::decrypt_blob(ring, rest);
  if (!plain) return {};
  if (!services::blob_key_id(rest.substr(0, services::kCipherHeadBytes))) return {};  // plaintext
  auto back = services::decrypt_blob(ring, services::encrypt_blob(ring.current(), *plain));
  if (!back || *back != *plain) return "a decrypted file does not survive encryption again";
  return {};
}

}  // namespace gongdan::fuzz
