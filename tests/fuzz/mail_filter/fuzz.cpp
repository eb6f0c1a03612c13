// libFuzzer entry point for mail's filters (channels/email/filter: loop guard, ticket token,
// quote folding), linked with the parser and the markup module only (target.hpp).
#include <cstdio>

#include "target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string broken = gongdan::fuzz::run_mail_filter(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "broken promise: %s\n", broken.c_str());
    __builtin_trap();
  }
  return 0;
}
