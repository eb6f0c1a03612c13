#include "domain/erasure.hpp"

#include <algorithm>

namespace gongdan {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

bool matches_at(std::string_view text, std::size_t at, std::string_view needle) {
  if (text.size() - at < needle.size()) return false;
  for (std::size_t i = 0; i < needle.size(); ++i)
    if (lower(text[at + i]) != lower(needle[i])) return false;
  return true;
}

}  // namespace

std::string erased_message_marker(std::string_view locale) {
  if (locale == "zh-CN") return "[此消息已应联系人的要求删除。]";
  return "[This message was erased at the contact's request.]";
}

std::string erased_word_marker(std::string_view locale) {
  return locale == "zh-CN" ? "[已删除]" : "[erased]";
}

std::string erased_email(std::int64_t contact_id) {
  return "erased-" + std::to_string(contact_id) + "@erased.invalid";
}

std::vector<std::string> erasure_needles(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    auto t = trimmed(v);
    if (t.size() >= 3 && std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return out;
}

std::string scrub(std::string_view text, const std::vector<std::string>& needles,
                  std::string_view marker) {
  std::string current(text);
  for (const auto& needle : needles) {
    std::string next;
    std::size_t i = 0;
    while (i < current.size()) {
      if (matches_at(current, i, needle)) {
        next += marker;
        i += needle.size();
      } else {
        next += current[i++];
      }
    }
    current = std::move(next);
  }
  return current;
}

}  // namespace gongdan
