// libFuzzer entry point for image headers (domain/image_size.hpp, linked with the domain layer
// alone): no crash, no sanitizer report, and every promise of target.hpp kept.
#include <cstdio>

#include "target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string broken = gongdan::fuzz::run_image_size(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "broken promise: %s\n", broken.c_str());
    __builtin_trap();
  }
  return 0;
}
