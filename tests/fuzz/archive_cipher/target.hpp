// The sealed backup reader (util/archive_cipher.hpp) as the fuzzer drives it: untrusted bytes
// through read_header, check_key and an OpeningBuffer with a fixed key file's key, checking its
// promises: it ends (no endless stream), it never gives more bytes than the chunks could hold,
// a header that check_key refuses gives no plaintext at all (the opener refuses it too, with
// the same reason), and a format 2 header with a byte changed (every seventh is tried) is refused
// by read_header. Shared by the libFuzzer entry point and the unit test that replays the seed
// corpus (tests/unit/util/archive_cipher_test.cpp).
#pragma once

#include <sstream>
#include <string>
#include <string_view>

#include "util/archive_cipher.hpp"

namespace gongdan::fuzz {

inline constexpr std::string_view kFuzzKeyFile = "0123456789abcdef0123456789abcdef";

// "" when every promise holds, else the first one broken.
inline std::string broken_cipher_promise(std::string_view bytes) {
  std::istringstream in{std::string(bytes)};
  auto header = archive_cipher::read_header(in);
  if (!header) return {};
  if (header->format == 2) {
    // The checksum covers every header byte: flipping any one of them must be refused.
    const auto length = static_cast<std::size_t>(in.tellg());
    for (std::size_t i = 0; i < length; i += 7) {
      std::string changed(bytes.substr(0, length));
      changed[i] = static_cast<char>(changed[i] ^ 0x20);
      std::istringstream again(changed);
      if (archive_cipher::read_header(again)) return "a changed header byte was not noticed";
    }
  }
  // A passphrase header would cost a key derivation per input: only its checks are fuzzed.
  if (header->key.kind != archive_cipher::KeyKind::kKeyFile) return {};
  auto key = archive_cipher::key_from_file_bytes(kFuzzKeyFile);
  if (!key) return "the fuzz key file was refused";
  const auto checked = archive_cipher::check_key(*header, *key);
  archive_cipher::OpeningBuffer opener(in, *header, *key);
  std::istream plain(&opener);
  std::string out((std::istreambuf_iterator<char>(plain)), std::istreambuf_iterator<char>());
  if (out.size() > bytes.size()) return "more plaintext than ciphertext";
  if (!checked) {
    if (!out.empty()) return "plaintext from a header check_key refused";
    if (!opener.error() || opener.error()->message != checked.error().message)
      return "the opener did not refuse what check_key refused";
  }
  return {};
}

}  // namespace gongdan::fuzz
