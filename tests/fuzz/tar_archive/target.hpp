// The backup archive reader as the fuzzer drives it: untrusted bytes through tar::Reader to the
// end or the first error, checking its promises on the way: every name it gives is safe (no
// absolute path, no "..", nothing a restore could write outside its directory), and no entry
// gives more data than its header's size. Shared by the libFuzzer entry point and the unit test
// that replays the seed corpus (tests/unit/util/tar_archive_test.cpp).
#pragma once

#include <sstream>
#include <string>
#include <string_view>

#include "util/tar_archive.hpp"

namespace gongdan::fuzz {

// "" when every promise holds, else the first one broken.
inline std::string broken_tar_promise(std::string_view bytes) {
  std::istringstream in{std::string(bytes)};
  tar::Reader reader(in);
  for (int entries = 0; entries < 10000; ++entries) {
    auto entry = reader.next();
    if (!entry || !*entry) return {};
    if (!tar::is_safe_name((*entry)->name)) return "an unsafe name came out: " + (*entry)->name;
    std::uint64_t got = 0;
    auto data = reader.read_data([&](std::string_view chunk) -> Result<void> {
      got += chunk.size();
      return {};
    });
    if (got > (*entry)->size) return "more data than the header's size";
    if (!data) return {};
    if (got != (*entry)->size) return "less data than the header's size without an error";
  }
  return {};
}

}  // namespace gongdan::fuzz
