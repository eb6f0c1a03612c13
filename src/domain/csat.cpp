#include "domain/csat.hpp"

#include <algorithm>
#include <charconv>

namespace gongdan {
namespace {

template <class T>
bool read_number(std::string_view text, T& out) {
  if (text.empty() || text.size() > 19 || text.front() == '-' || text.front() == '+') return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool serves_channel(const CsatSurvey& s, std::string_view channel) {
  return s.channels.empty() ||
         std::find(s.channels.begin(), s.channels.end(), channel) != s.channels.end();
}

}  // namespace

const CsatSurvey* survey_for(const std::vector<CsatSurvey>& surveys,
                             std::optional<std::int64_t> department_id, std::string_view channel) {
  const CsatSurvey* fallback = nullptr;
  // A department's own survey decides for it, even when it is off or skips this channel.
  for (const auto& s : surveys) {
    if (department_id && s.department_id == department_id)
      return s.active && serves_channel(s, channel) ? &s : nullptr;
    if (!s.department_id && !fallback) fallback = &s;
  }
  if (!fallback || !fallback->active || !serves_channel(*fallback, channel)) return nullptr;
  return fallback;
}

std::vector<std::string> csat_choices(std::string_view scale) {
  if (scale == "five") return {"1", "2", "3", "4", "5"};
  return {"bad", "good"};
}

bool is_csat_choice(std::string_view scale, std::string_view rating) {
  const auto choices = csat_choices(scale);
  return std::find(choices.begin(), choices.end(), rating) != choices.end();
}

bool is_positive_rating(std::string_view rating) {
  return rating == "good" || rating == "4" || rating == "5";
}

std::string csat_signed_text(std::int64_t request_id, std::int64_t ticket_id, Millis expires_at) {
  return "csat|" + std::to_string(request_id) + "|" + std::to_string(ticket_id) + "|" +
         std::to_string(expires_at);
}

std::string csat_token_text(const CsatToken& token) {
  return std::to_string(token.request_id) + "." + std::to_string(token.expires_at) + "." +
         token.mac;
}

std::optional<CsatToken> parse_csat_token(std::string_view text) {
  if (text.size() > 200) return std::nullopt;
  const auto first = text.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = text.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  CsatToken out;
  if (!read_number(text.substr(0, first), out.request_id) || out.request_id <= 0 ||
      !read_number(text.substr(first + 1, second - first - 1), out.expires_at))
    return std::nullopt;
  out.mac = std::string(text.substr(second + 1));
  if (out.mac.size() != 32 || !std::all_of(out.mac.begin(), out.mac.end(), [](char ch) {
        return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
      }))
    return std::nullopt;
  return out;
}

}  // namespace gongdan
