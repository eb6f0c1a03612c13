// libFuzzer entry point for the IM providers' callbacks and API answers (channels/im, linked
// alone): no crash, no sanitizer report, and every promise of wecom.hpp and provider_answer.hpp
// kept (target.hpp).
#include <cstdio>

#include "target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string broken = gongdan::fuzz::run_im_providers(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "broken promise: %s\n", broken.c_str());
    __builtin_trap();
  }
  return 0;
}
