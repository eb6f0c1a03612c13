// A QR code of a short text (an otpauth:// URI) as an SVG image in a data: URL, so a page can
// show it in an <img> without a script of its own and without the secret leaving the answer.
#pragma once

#include <string>
#include <string_view>

namespace gongdan::api {

// Empty when the text does not fit a QR code (libqrencode's limit, some kilobytes).
std::string qr_code_data_url(std::string_view text);

}  // namespace gongdan::api
