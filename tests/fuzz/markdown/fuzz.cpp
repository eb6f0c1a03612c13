// libFuzzer entry point for Markdown rendering (src/markup, linked alone): whatever the input,
// the HTML that comes out holds nothing executable and is stable (target.hpp).
#include <cstdio>

#include "target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string broken = gongdan::fuzz::run_markdown(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "broken promise: %s\n", broken.c_str());
    __builtin_trap();
  }
  return 0;
}
