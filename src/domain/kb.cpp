#include "domain/kb.hpp"

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
constexpr std::array<std::string_view, 2> kLanguages = {"zh-CN", "en"};

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

std::optional<std::string> parse_kb_language(std::string_view tag) {
  const std::string lower = text::to_lower_ascii(text::trim(tag));
  if (lower == "zh" || lower.starts_with("zh-") || lower.starts_with("zh_")) return "zh-CN";
  if (lower == "en" || lower.starts_with("en-") || lower.starts_with("en_")) return "en";
  return std::nullopt;
}

std::string kb_language_from_accept(std::string_view accept_language, std::string_view fallback) {
  // "zh-CN,zh;q=0.9,en;q=0.8": the highest q among ours wins, the earlier on a tie.
  std::string best;
  double best_q = 0;
  for (auto item : text::split(accept_language, ',')) {
    auto parts = text::split(item, ';');
    if (parts.empty()) continue;
    auto lang = parse_kb_language(parts[0]);
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
