#include "domain/triage.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace gongdan {
namespace {

constexpr std::array<std::string_view, 4> kFieldNames = {"department", "type", "priority", "tags"};

// Decodes one UTF-8 sequence at `i` (advancing it); a malformed byte reads as U+FFFD.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  int extra = b < 0x80 ? 0 : (b >> 5) == 6 ? 1 : (b >> 4) == 14 ? 2 : (b >> 3) == 30 ? 3 : -1;
  if (extra < 0 || i + static_cast<std::size_t>(extra) >= s.size() + (extra == 0 ? 1 : 0)) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = extra == 0 ? b : (b & (0x3F >> extra));
  for (int k = 1; k <= extra; ++k) {
    const auto c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((c & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  i += static_cast<std::size_t>(extra) + 1;
  return cp;
}

// Han, kana and Hangul: scripts written without spaces between words.
bool is_cjk(char32_t c) {
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Appends the words of `text` to `out`. A word made only of digits (an order or ticket number)
// says nothing about the ticket's kind and would only grow the model: it is left out.
void add_words(std::string& out, std::string_view text) {
  std::string word;
  bool letters = false;
  auto end_word = [&] {
    if (!word.empty() && letters) {
      if (!out.empty()) out += ' ';
      out += word;
    }
    word.clear();
    letters = false;
  };
  for (std::size_t i = 0; i < text.size();) {
    const char32_t c = next_code_point(text, i);
    if (c < 0x80 && std::isalnum(static_cast<int>(c))) {
      word += static_cast<char>(std::tolower(static_cast<int>(c)));
      letters = letters || std::isalpha(static_cast<int>(c));
    } else if (is_cjk(c)) {
      end_word();
      if (!out.empty()) out += ' ';
      append_utf8(out, c);
    } else if (c >= 0x80 && c != 0xFFFD && !(c >= 0x3000 && c <= 0x303F) &&
               !(c >= 0xFF00 && c <= 0xFF65)) {
      // Other letters (accented Latin, Cyrillic …) stay in the word as they are.
      append_utf8(word, c);
      letters = true;
    } else {
      end_word();
    }
  }
  end_word();
}

std::size_t bucket_of(double confidence) {
  const double percent = std::floor(std::clamp(confidence, 0.0, 1.0) * 100.0 + 1e-9);
  return static_cast<std::size_t>(percent);
}

}  // namespace

std::string_view triage_field_name(TriageField f) { return kFieldNames[static_cast<int>(f)]; }

std::optional<TriageField> parse_triage_field(std::string_view name) {
  for (std::size_t i = 0; i < kFieldNames.size(); ++i)
    if (kFieldNames[i] == name) return static_cast<TriageField>(i);
  return std::nullopt;
}

std::string triage_text(std::string_view subject, std::string_view body, std::size_t max_bytes) {
  std::string out;
  add_words(out, subject);
  add_words(out, body.substr(0, std::min(body.size(), max_bytes)));
  return out;
}

bool held_out(std::int64_t ticket_id) {
  // A multiplicative hash, so that consecutive ids (one import's batch) spread over both sides.
  const auto h = static_cast<std::uint64_t>(ticket_id) * 0x9E3779B97F4A7C15ULL;
  return (h >> 32) % 10 == 0;
}

double TriageEvaluation::accuracy() const {
  return held_out == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(held_out);
}

double TriageEvaluation::coverage_at(std::int64_t threshold_percent) const {
  if (held_out == 0) return 0.0;
  std::int64_t n = 0;
  for (std::size_t b =
           static_cast<std::size_t>(std::clamp<std::int64_t>(threshold_percent, 0, 100));
       b < bucket_count.size(); ++b)
    n += bucket_count[b];
  return static_cast<double>(n) / static_cast<double>(held_out);
}

double TriageEvaluation::accuracy_at(std::int64_t threshold_percent) const {
  std::int64_t n = 0, right = 0;
  for (std::size_t b =
           static_cast<std::size_t>(std::clamp<std::int64_t>(threshold_percent, 0, 100));
       b < bucket_count.size(); ++b) {
    n += bucket_count[b];
    right += bucket_correct[b];
  }
  return n == 0 ? 0.0 : static_cast<double>(right) / static_cast<double>(n);
}

TriageEvaluation evaluate(const std::vector<HeldOutPrediction>& predictions, std::int64_t examples,
                          std::size_t max_labels) {
  TriageEvaluation e;
  e.examples = examples;
  e.held_out = static_cast<std::int64_t>(predictions.size());
  std::map<std::string, std::int64_t> frequency;
  for (const auto& p : predictions) ++frequency[p.actual];
  std::vector<std::pair<std::int64_t, std::string>> ranked;
  for (const auto& [label, n] : frequency) ranked.emplace_back(-n, label);
  std::sort(ranked.begin(), ranked.end());
  std::map<std::string, bool> kept;
  for (std::size_t i = 0; i < ranked.size() && i < max_labels; ++i) kept[ranked[i].second] = true;
  auto shown = [&](const std::string& label) {
    return kept.count(label) ? label : std::string("other");
  };
  for (const auto& p : predictions) {
    const bool right = p.actual == p.predicted;
    const auto b = bucket_of(p.confidence);
    ++e.bucket_count[b];
    if (right) {
      ++e.correct;
      ++e.bucket_correct[b];
    }
    ++e.confusion[{shown(p.actual), shown(p.predicted)}];
  }
  return e;
}

}  // namespace gongdan
