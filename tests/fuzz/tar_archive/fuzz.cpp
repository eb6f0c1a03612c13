// libFuzzer entry point for the backup archive reader (util/tar_archive.hpp): the whole input is
// an archive. tests/unit/util/tar_archive_test.cpp replays corpus/.
#include <cstddef>
#include <cstdint>

#include "target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto broken = gongdan::fuzz::broken_tar_promise(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (!broken.empty()) __builtin_trap();
  return 0;
}
