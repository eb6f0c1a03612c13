#include "api/qr_code.hpp"

#include <qrencode.h>

#include <memory>

#include <cctype>

#include "util/encoding.hpp"

namespace gongdan::api {

std::string qr_code_data_url(std::string_view text) {
  const std::string input(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
  if (!code) return {};
  const int width = code->width;
  constexpr int kQuiet = 4;  // the blank border scanners need, in modules
  const int size = width + 2 * kQuiet;
  std::string svg = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 " + std::to_string(size) +
                    " " + std::to_string(size) +
                    "' shape-rendering='crispEdges'><rect width='100%' height='100%' "
                    "fill='white'/><path fill='black' d='";
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      if (code->data[y * width + x] & 1)
        svg += "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) + "h1v1h-1z";
    }
  }
  svg += "'/></svg>";
  return "data:image/svg+xml," + encoding::percent_encode(svg, [](unsigned char ch) {
           return std::isalnum(ch) != 0 || ch == '.' || ch == '-' || ch == '/' || ch == ':' ||
                  ch == '=' || ch == '\'';
         });
}

}  // namespace gongdan::api
