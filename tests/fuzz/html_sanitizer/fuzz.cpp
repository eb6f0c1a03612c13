// libFuzzer entry point for the HTML sanitiser and text extraction (src/markup, linked alone):
// whatever the input, nothing unsafe survives and the output is stable (target.hpp).
#include <cstdio>

#include "target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string broken = gongdan::fuzz::run_html_sanitizer(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "broken promise: %s\n", broken.c_str());
    __builtin_trap();
  }
  return 0;
}
