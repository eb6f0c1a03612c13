// libFuzzer entry point for the encryption keys' text and encrypted attachment files
// (target.hpp says what is checked).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (!gongdan::fuzz::broken_key_promise(input).empty()) __builtin_trap();
  return 0;
}
