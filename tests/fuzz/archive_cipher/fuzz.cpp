// libFuzzer entry point for the sealed backup reader (util/archive_cipher.hpp): the whole input
// is a sealed archive. tests/unit/util/archive_cipher_test.cpp replays corpus/.
#include <cstddef>
#include <cstdint>

#include "target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto broken = gongdan::fuzz::broken_cipher_promise(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (!broken.empty()) __builtin_trap();
  return 0;
}
