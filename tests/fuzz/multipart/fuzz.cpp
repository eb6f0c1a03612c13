// libFuzzer entry point for the multipart/form-data reader, and through it the filename
// sanitiser every uploaded name goes through.
//
// Input format (the same for every seed in corpus/): the first line, up to the first '\n' with
// a trailing '\r' dropped, is the request's Content-Type header; everything after that '\n' is
// the request body, byte for byte (part lines inside it end in CRLF). An input without '\n' is
// a header with an empty body. tests/unit/api/multipart_test.cpp replays corpus/ with the same
// split, so keep the two in step.
//
// Besides "no crash, no sanitizer report", it checks the parser's promises: at most max_parts
// parts, every part's data inside the body, and sanitised names valid, bounded and non-empty.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/multipart.hpp"
#include "domain/attachment_name.hpp"
#include "util/text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  std::string_view header = input.substr(0, newline);
  if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
  const std::string_view body =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  gongdan::api::MultipartLimits limits;
  limits.max_parts = 8;  // small limits so the fuzzer reaches them
  limits.max_header_bytes = 512;
  auto parts = gongdan::api::parse_multipart(header, body, limits);
  if (!parts) return 0;
  if (parts->size() > limits.max_parts) __builtin_trap();
  for (const auto& part : *parts) {
    if (part.data.data() < body.data() ||
        part.data.data() + part.data.size() > body.data() + body.size()) {
      __builtin_trap();
    }
    if (part.filename) {
      const std::string shown = gongdan::sanitize_filename(*part.filename);
      if (shown.empty() || shown.size() > gongdan::kMaxFilenameBytes ||
          !gongdan::text::is_valid_utf8(shown) || gongdan::sanitize_filename(shown) != shown) {
        __builtin_trap();
      }
      (void)gongdan::is_risky_for_browser("text/plain", part.content_type, shown);
    }
  }
  return 0;
}
