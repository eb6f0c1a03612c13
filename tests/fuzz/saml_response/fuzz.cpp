// libFuzzer entry point for SAML (channels/saml: our reading of Responses and IdP metadata
// through liblasso, linked alone): no crash, no sanitizer report, and every promise of
// target.hpp kept.
#include <cstdio>

#include "target.hpp"

// liblasso, libxml2 and xmlsec are not built with the sanitizers, and keep caches of their own
// for the life of the process; leaks inside them are theirs, ours are still reported.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:liblasso.so\nleak:libxml2.so\nleak:libxmlsec1\nleak:libglib-2.0.so\n"
         "leak:libgobject-2.0.so\n";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string broken = gongdan::fuzz::run_saml(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "broken promise: %s\n", broken.c_str());
    __builtin_trap();
  }
  return 0;
}
