// libFuzzer entry point for inbound sources' webhook bodies (channels/im, linked alone): no crash,
// no sanitizer report, and every promise of inbound_parse.hpp kept (target.hpp).
#include <cstdio>

#include "target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string broken = gongdan::fuzz::run_inbound(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "broken promise: %s\n", broken.c_str());
    __builtin_trap();
  }
  return 0;
}
