#include "domain/image_size.hpp"

namespace gongdan {
namespace {

std::uint32_t byte_at(std::string_view b, std::size_t i) {
  return static_cast<unsigned char>(b[i]);
}
std::uint32_t big16(std::string_view b, std::size_t i) {
  return (byte_at(b, i) << 8) | byte_at(b, i + 1);
}
std::uint32_t big32(std::string_view b, std::size_t i) {
  return (big16(b, i) << 16) | big16(b, i + 2);
}
std::uint32_t little16(std::string_view b, std::size_t i) {
  return byte_at(b, i) | (byte_at(b, i + 1) << 8);
}
std::uint32_t little24(std::string_view b, std::size_t i) {
  return little16(b, i) | (byte_at(b, i + 2) << 16);
}
std::uint32_t little32(std::string_view b, std::size_t i) {
  return little16(b, i) | (little16(b, i + 2) << 16);
}

std::optional<ImageSize> sized(std::uint32_t width, std::uint32_t height) {
  if (width == 0 || height == 0) return std::nullopt;
  return ImageSize{width, height};
}

std::optional<ImageSize> png_size(std::string_view b) {
  if (b.size() < 24 || b.substr(12, 4) != "IHDR") return std::nullopt;
  return sized(big32(b, 16), big32(b, 20));
}

std::optional<ImageSize> gif_size(std::string_view b) {
  if (b.size() < 10) return std::nullopt;
  return sized(little16(b, 6), little16(b, 8));
}

// Markers until the first start of frame (SOF0–SOF15 but DHT, JPG and DAC), which holds the
// height then the width after its length and precision.
std::optional<ImageSize> jpeg_size(std::string_view b) {
  std::size_t at = 2;
  while (at + 1 < b.size()) {
    if (byte_at(b, at) != 0xFF) return std::nullopt;
    const std::uint32_t marker = byte_at(b, at + 1);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    at += 2;
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) continue;  // no length
    if (marker == 0xD9 || marker == 0xDA) return std::nullopt;  // end, or scan data: no frame
    if (at + 2 > b.size()) return std::nullopt;
    const std::uint32_t length = big16(b, at);
    if (length < 2) return std::nullopt;
    const bool frame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame) {
      if (length < 7 || at + 7 > b.size()) return std::nullopt;
      return sized(big16(b, at + 5), big16(b, at + 3));
    }
    at += length;
  }
  return std::nullopt;
}

std::optional<ImageSize> webp_size(std::string_view b) {
  if (b.size() < 16) return std::nullopt;
  const auto chunk = b.substr(12, 4);
  if (chunk == "VP8X") {
    if (b.size() < 30) return std::nullopt;
    return sized(little24(b, 24) + 1, little24(b, 27) + 1);
  }
  if (chunk == "VP8L") {
    if (b.size() < 25 || byte_at(b, 20) != 0x2F) return std::nullopt;
    const std::uint32_t bits = little32(b, 21);
    return sized((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
  }
  if (chunk == "VP8 ") {
    if (b.size() < 30 || byte_at(b, 23) != 0x9D || byte_at(b, 24) != 0x01 || byte_at(b, 25) != 0x2A)
      return std::nullopt;
    return sized(little16(b, 26) & 0x3FFF, little16(b, 28) & 0x3FFF);
  }
  return std::nullopt;
}

}  // namespace

std::optional<ImageSize> image_size(std::string_view bytes) {
  if (bytes.starts_with("\x89PNG\r\n\x1a\n")) return png_size(bytes);
  if (bytes.starts_with("GIF87a") || bytes.starts_with("GIF89a")) return gif_size(bytes);
  if (bytes.starts_with("\xFF\xD8")) return jpeg_size(bytes);
  if (bytes.starts_with("RIFF") && bytes.size() >= 12 && bytes.substr(8, 4) == "WEBP")
    return webp_size(bytes);
  return std::nullopt;
}

}  // namespace gongdan
