#include "domain/kb.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "util/enum_names.hpp"
#include "util/text.hpp"

namespace gongdan {
namespace {

constexpr Named<KbVisibility> kVisibilities[] = {{KbVisibility::kPublic, "public"},
                                                 {KbVisibility::kCustomers, "customers"},
                                                 {KbVisibility::kAgents, "agents"}};
constexpr Named<KbState> kStates[] = {{KbState::kDraft, "draft"},
                                      {KbState::kInReview, "in_review"},
                                      {KbState::kPublished, "published"},
                                      {KbState::kArchived, "archived"}};
constexpr std::array<std::string_view, 8> kLanguages = {"zh-CN", "en", "zh-TW", "ja",
                                                        "ko",    "fr", "de",    "es"};
constexpr std::array<std::string_view, 8> kLanguageNames = {
    "简体中文", "English", "繁體中文", "日本語", "한국어", "Français", "Deutsch", "Español"};

}  // namespace

std::string_view kb_visibility_name(KbVisibility v) { return name_in(kVisibilities, v, "public"); }
std::optional<KbVisibility> parse_kb_visibility(std::string_view name) {
  return value_in(kVisibilities, name);
}
std::string_view kb_state_name(KbState s) { return name_in(kStates, s, "draft"); }
std::optional<KbState> parse_kb_state(std::string_view name) { return value_in(kStates, name); }

bool kb_state_may_move(KbState from, KbState to) {
  if (from == to || to == KbState::kDraft) return true;
  switch (from) {
    case KbState::kDraft:
      return to == KbState::kInReview || to == KbState::kPublished;
    case KbState::kInReview:
      return to == KbState::kPublished;
    case KbState::kPublished:
      return to == KbState::kArchived;
    case KbState::kArchived:
      return false;
  }
  return false;
}

bool kb_visible_to(KbVisibility v, KbReader reader) {
  switch (v) {
    case KbVisibility::kPublic:
      return true;
    case KbVisibility::kCustomers:
      return reader != KbReader::kAnonymous;
    case KbVisibility::kAgents:
      return reader == KbReader::kAgent;
  }
  return false;
}

std::vector<std::string_view> kb_visibilities_for(KbReader reader) {
  std::vector<std::string_view> out;
  for (const auto& v : kVisibilities)
    if (kb_visible_to(v.value, reader)) out.push_back(v.name);
  return out;
}

std::span<const std::string_view> kb_languages() { return kLanguages; }

std::string_view kb_language_name(std::string_view lang) {
  for (std::size_t i = 0; i < kLanguages.size(); ++i)
    if (kLanguages[i] == lang) return kLanguageNames[i];
  return lang;
}

bool kb_language_is_chinese(std::string_view lang) { return lang.starts_with("zh"); }

std::optional<std::string> parse_kb_language(std::string_view tag) {
  std::string lower = text::to_lower_ascii(text::trim(tag));
  for (auto& ch : lower)
    if (ch == '_') ch = '-';
  const auto primary = lower.substr(0, lower.find('-'));
  if (primary == "zh") {
    // Traditional script: Taiwan, Hong Kong, Macau, or said outright.
    for (const char* traditional : {"-tw", "-hk", "-mo", "-hant"})
      if (lower.find(traditional) != std::string::npos) return "zh-TW";
    return "zh-CN";
  }
  for (auto lang : kLanguages)
    if (lang == primary) return std::string(lang);
  return std::nullopt;
}

std::optional<std::string> kb_language_among(std::string_view tag,
                                             std::span<const std::string> enabled) {
  auto lang = parse_kb_language(tag);
  if (!lang) return std::nullopt;
  for (const auto& e : enabled)
    if (e == *lang) return e;
  if (kb_language_is_chinese(*lang))
    for (const auto& e : enabled)
      if (kb_language_is_chinese(e)) return e;
  return std::nullopt;
}

Result<void> check_help_setting(HelpSetting& s) {
  if (s.languages.empty())
    return fail(ErrorCode::kInvalidArgument, "name at least one language", "languages");
  std::vector<std::string> canonical;
  for (const auto& given : s.languages) {
    auto lang = parse_kb_language(given);
    if (!lang)
      return fail(ErrorCode::kInvalidArgument,
                  "unknown language '" + given + "': use zh-CN, en, zh-TW, ja, ko, fr, de or es",
                  "languages");
    if (std::find(canonical.begin(), canonical.end(), *lang) != canonical.end())
      return fail(ErrorCode::kInvalidArgument, "'" + *lang + "' is named twice", "languages");
    canonical.push_back(*lang);
  }
  s.languages = std::move(canonical);
  const bool hex = s.colour.size() == 7 && s.colour[0] == '#' &&
                   s.colour.find_first_not_of("0123456789abcdefABCDEF", 1) == std::string::npos;
  if (!hex) return fail(ErrorCode::kInvalidArgument, "a colour is #rrggbb", "colour");
  const auto& logo = s.logo_url;
  const bool file =
      logo.starts_with(kKbFilePathPrefix) && logo.size() > kKbFilePathPrefix.size() &&
      logo.find_first_not_of("0123456789", kKbFilePathPrefix.size()) == std::string::npos;
  const bool web = (logo.starts_with("https://") || logo.starts_with("http://")) &&
                   logo.find_first_of(" \"'<>\\") == std::string::npos;
  if (!logo.empty() && !file && !web)
    return fail(ErrorCode::kInvalidArgument,
                "a logo is an https:// address or an article's image, /help-files/<id>",
                "logo_url");
  return {};
}

std::string kb_language_from_accept(std::string_view accept_language,
                                    std::span<const std::string> enabled,
                                    std::string_view fallback) {
  // "zh-CN,zh;q=0.9,en;q=0.8": the highest q among ours wins, the earlier on a tie.
  std::string best;
  double best_q = 0;
  for (auto item : text::split(accept_language, ',')) {
    auto parts = text::split(item, ';');
    if (parts.empty()) continue;
    auto lang = kb_language_among(parts[0], enabled);
    if (!lang) continue;
    double q = 1;
    for (std::size_t i = 1; i < parts.size(); ++i) {
      auto p = text::trim(parts[i]);
      if (p.starts_with("q=")) {
        auto v = p.substr(2);
        q = 0;
        if (v == "1" || v.starts_with("1."))
          q = 1;
        else if (v.starts_with("0.") && v.size() > 2) {
          unsigned digits = 0;
          std::from_chars(v.data() + 2, v.data() + std::min<std::size_t>(v.size(), 5), digits);
          q = digits / (v.size() >= 5 ? 1000.0 : v.size() == 4 ? 100.0 : 10.0);
        }
      }
    }
    if (q > best_q) {
      best_q = q;
      best = *lang;
    }
  }
  return best.empty() ? std::string(fallback) : best;
}

std::string kb_file_path(std::int64_t file_id) {
  return std::string(kKbFilePathPrefix) + std::to_string(file_id);
}

bool kb_file_is_image(std::string_view content_type) {
  return content_type == "image/png" || content_type == "image/jpeg" ||
         content_type == "image/gif" || content_type == "image/webp";
}

boost::json::value kb_translation_summary(std::span<const KbTranslation> translations) {
  boost::json::array out;
  for (const auto& t : translations) {
    const auto& source = translations.front();
    const bool outdated = &t != &source && t.text_updated_at < source.text_updated_at;
    out.push_back(
        boost::json::object{{"lang", t.lang},
                            {"state", kb_state_name(t.state)},
                            {"version", t.version},
                            {"title", t.title},
                            {"updated_at_ms", t.updated_at},
                            {"text_updated_at_ms", t.text_updated_at},
                            {"outdated", outdated},
                            {"publish_at_ms", t.publish_at ? boost::json::value(*t.publish_at)
                                                           : boost::json::value(nullptr)}});
  }
  return out;
}

}  // namespace gongdan
