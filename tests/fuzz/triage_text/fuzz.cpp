// libFuzzer entry point for the words a triage model reads (domain/triage.hpp): the input is a
// subject and a body. tests/unit/domain/triage_test.cpp replays corpus/.
#include <cstddef>
#include <cstdint>

#include "target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto broken = gongdan::fuzz::broken_triage_text_promise(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (!broken.empty()) __builtin_trap();
  return 0;
}
