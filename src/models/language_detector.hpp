// The language of a text, by CLD2 (Debian's libcld2): a BCP 47-like code ("en", "zh-CN",
// "zh-TW", "ja", "fr", …) when CLD2 is sure, none when the text is too short, mixed or unknown.
// Pure and thread-safe (CLD2 keeps no state between calls); invalid UTF-8 is answered with none.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gongdan::models {

std::optional<std::string> detect_language(std::string_view text);

}  // namespace gongdan::models
