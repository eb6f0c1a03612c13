#include "target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gongdan::fuzz::run_http_request(data, size);
  return 0;
}
