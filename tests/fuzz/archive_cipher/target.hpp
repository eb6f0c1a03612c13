// The sealed backup reader (util/archive_cipher.hpp) as the fuzzer drives it: untrusted bytes
// through read_key_header and an OpeningBuffer with a fixed key file's key, checking its
// promises: it ends (no endless stream), it never gives more bytes than the chunks could hold,
// and an input that is not a whole sealed stream always ends with an error. Shared by the
// libFuzzer entry point and the unit test that replays the seed corpus
// (tests/unit/util/archive_cipher_test.cpp).
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
  auto header = archive_cipher::read_key_header(in);
  if (!header) return {};
  // A passphrase header would cost a key derivation per input: only its checks are fuzzed.
  if (header->kind != archive_cipher::KeyKind::kKeyFile) return {};
  auto key = archive_cipher::key_from_file_bytes(kFuzzKeyFile);
  if (!key) return "the fuzz key file was refused";
  archive_cipher::OpeningBuffer opener(in, *key);
  std::istream plain(&opener);
  std::string out((std::istreambuf_iterator<char>(plain)), std::istreambuf_iterator<char>());
  if (out.size() > bytes.size()) return "more plaintext than ciphertext";
  return {};
}

}  // namespace gongdan::fuzz
