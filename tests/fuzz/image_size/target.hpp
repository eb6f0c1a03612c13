// Image headers as the fuzzer drives them (domain/image_size.hpp): any bytes, read without a
// crash or a sanitizer report; a size found has two sides above zero, and every prefix of the
// bytes gives either nothing or that same size (the reader never looks past what it needs, nor
// guesses from a header cut short). Shared with the unit test that replays corpus/.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/image_size.hpp"

namespace gongdan::fuzz {

inline std::string run_image_size(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto whole = image_size(bytes);
  if (whole && (whole->width == 0 || whole->height == 0)) return "a side of zero";
  for (std::size_t cut = 0; cut < std::min<std::size_t>(size, 96); ++cut) {
    const auto part = image_size(bytes.substr(0, cut));
    if (part && (!whole || part->width != whole->width || part->height != whole->height))
      return "a prefix of " + std::to_string(cut) + " bytes gave another size";
  }
  return "";
}

}  // namespace gongdan::fuzz
