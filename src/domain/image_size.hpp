// The pixel size an image says it has, read from its header: PNG (IHDR), GIF (the logical
// screen), JPEG (the first start-of-frame marker), WebP (VP8, VP8L, VP8X). An upload is refused
// by it before any browser decodes a picture of 100,000 × 100,000 pixels from a small file.
//
// Contract: pure; reads only the bytes given, never past them; never fails: none when the bytes
// are none of those formats, or their header is cut short or malformed, or a side is zero.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace gongdan {

struct ImageSize {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
};

std::optional<ImageSize> image_size(std::string_view bytes);

}  // namespace gongdan
