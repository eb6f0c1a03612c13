#include "models/language_detector.hpp"

#include <cld2/public/compact_lang_det.h>

#include <algorithm>

namespace gongdan::models {

std::optional<std::string> detect_language(std::string_view text) {
  // CLD2 looks at the first few kilobytes anyway; a cut may split a character, which
  // DetectLanguageCheckUTF8 reports as its valid prefix (we then use that prefix).
  constexpr std::size_t kMostBytes = 16 * 1024;
  const int length = static_cast<int>(std::min(text.size(), kMostBytes));
  bool reliable = false;
  int valid = 0;
  auto language = CLD2::DetectLanguageCheckUTF8(text.data(), length, true, &reliable, &valid);
  if (valid < length && valid > 0)
    language = CLD2::DetectLanguageCheckUTF8(text.data(), valid, true, &reliable, &valid);
  if (!reliable || language == CLD2::UNKNOWN_LANGUAGE || language == CLD2::TG_UNKNOWN_LANGUAGE)
    return std::nullopt;
  const std::string code = CLD2::LanguageCode(language);
  if (code == "zh") return "zh-CN";  // CLD2 names simplified Chinese "zh", traditional "zh-Hant"
  if (code == "zh-Hant") return "zh-TW";
  return code;
}

}  // namespace gongdan::models
