#include "domain/search_text.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>

namespace gongdan::search {

// ---------------------------------------------------------------------------------------------
// Shared helpers.

namespace {

utf8proc_category_t category_of(char32_t cp) {
  return utf8proc_category(static_cast<utf8proc_int32_t>(cp));
}

// A letter of any script, or a number written as a letter (〇, Ⅻ).
bool is_letter(utf8proc_category_t c) {
  return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LL || c == UTF8PROC_CATEGORY_LT ||
         c == UTF8PROC_CATEGORY_LM || c == UTF8PROC_CATEGORY_LO || c == UTF8PROC_CATEGORY_NL;
}

bool is_mark(utf8proc_category_t c) {
  return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

}  // namespace

namespace detail {

std::u32string decode_utf8_lossy(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  std::size_t i = 0;
  while (i < s.size()) {
    utf8proc_int32_t cp = 0;
    // utf8proc_iterate rejects overlong forms, surrogates and values past U+10FFFF.
    const auto n = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0 || cp < 0) {
      ++i;  // drop one byte only, so a stray byte never swallows the good text after it
      continue;
    }
    out.push_back(static_cast<char32_t>(cp));
    i += static_cast<std::size_t>(n);
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  utf8proc_uint8_t buf[4];
  const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

std::string encode_utf8(std::u32string_view cps) {
  std::string out;
  out.reserve(cps.size());
  for (char32_t cp : cps) append_utf8(out, cp);
  return out;
}

std::string normalize_nfkc(std::string_view valid_utf8, bool fold_case) {
  if (valid_utf8.empty()) return {};
  auto options = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_IGNORE;
  if (fold_case) options = options | UTF8PROC_CASEFOLD;
  utf8proc_uint8_t* raw = nullptr;
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(valid_utf8.data()),
                              static_cast<utf8proc_ssize_t>(valid_utf8.size()), &raw,
                              static_cast<utf8proc_option_t>(options));
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(raw, &std::free);
  if (n < 0 || raw == nullptr) return std::string(valid_utf8);
  return std::string(reinterpret_cast<const char*>(raw), static_cast<std::size_t>(n));
}

bool is_word_char(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  }
  const auto c = category_of(cp);
  return is_letter(c) || is_mark(c) || c == UTF8PROC_CATEGORY_ND || c == UTF8PROC_CATEGORY_NO ||
         c == UTF8PROC_CATEGORY_CO;
}

bool is_space_or_control(char32_t cp) {
  if (cp <= 0x20 || cp == 0x7F) return true;
  switch (category_of(cp)) {
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC:
      return true;
    default:
      return false;
  }
}

}  // namespace detail

namespace {

bool text_is_mark(char32_t cp) { return is_mark(category_of(cp)); }

bool text_in_cjk_block(char32_t cp) {
  struct Range {
    char32_t first, last;
  };
  static constexpr Range kRanges[] = {
      {0x1100, 0x11FF},    // Hangul Jamo
      {0x2E80, 0x2FDF},    // CJK and Kangxi radicals
      {0x3005, 0x3007},    // 々 〆 〇
      {0x3021, 0x3029},    // Hangzhou numerals
      {0x3031, 0x3035},    // kana repeat marks
      {0x303B, 0x303C},    // 〻 〼
      {0x3040, 0x30FF},    // Hiragana, Katakana
      {0x3100, 0x312F},    // Bopomofo
      {0x3130, 0x318F},    // Hangul compatibility Jamo
      {0x31A0, 0x31BF},    // Bopomofo extended
      {0x31F0, 0x31FF},    // Katakana phonetic extensions
      {0x3400, 0x4DBF},    // CJK extension A
      {0x4E00, 0x9FFF},    // CJK unified ideographs
      {0xA960, 0xA97F},    // Hangul Jamo extended A
      {0xAC00, 0xD7AF},    // Hangul syllables
      {0xD7B0, 0xD7FF},    // Hangul Jamo extended B
      {0xF900, 0xFAFF},    // CJK compatibility ideographs
      {0xFF66, 0xFF9F},    // half-width Katakana
      {0xFFA0, 0xFFDC},    // half-width Hangul
      {0x1B000, 0x1B16F},  // kana supplement and extensions
      {0x20000, 0x3FFFF},  // CJK extensions B and later
  };
  for (const auto& r : kRanges) {
    if (cp < r.first) return false;  // sorted
    if (cp <= r.last) return true;
  }
  return false;
}

}  // namespace

bool is_cjk(char32_t cp) {
  if (cp < 0x1100 || !text_in_cjk_block(cp)) return false;
  // Only letters (and 〇-style number letters): the blocks also hold punctuation such as ・ and ゠.
  return is_letter(category_of(cp));
}

// ---------------------------------------------------------------------------------------------
// Index text and FTS5 expressions.

namespace {

struct TextToken {
  std::string text;
  bool lone_cjk = false;  // a CJK run of one character, kept as a unigram
};

// The tokenizer behind index_text and fts_match; both must agree exactly, or a query could
// never find what was stored.
std::vector<TextToken> text_tokenize(std::string_view raw) {
  const std::u32string cps = detail::decode_utf8_lossy(
      detail::normalize_nfkc(detail::encode_utf8(detail::decode_utf8_lossy(raw)), true));
  std::vector<TextToken> tokens;
  std::string word;
  std::vector<std::string> run;  // the characters (with any marks) of the current CJK run
  const auto flush_word = [&] {
    if (!word.empty()) tokens.push_back({std::move(word), false});
    word.clear();
  };
  const auto flush_run = [&] {
    if (run.size() == 1) {
      tokens.push_back({std::move(run[0]), true});
    } else {
      for (std::size_t k = 0; k + 1 < run.size(); ++k) tokens.push_back({run[k] + run[k + 1]});
    }
    run.clear();
  };
  for (char32_t cp : cps) {
    if (is_cjk(cp)) {
      flush_word();
      run.emplace_back();
      detail::append_utf8(run.back(), cp);
    } else if (!run.empty() && text_is_mark(cp)) {
      detail::append_utf8(run.back(), cp);  // a mark belongs to the character before it
    } else if (detail::is_word_char(cp)) {
      if (!run.empty()) flush_run();
      detail::append_utf8(word, cp);
    } else {
      flush_word();
      if (!run.empty()) flush_run();
    }
  }
  flush_word();
  if (!run.empty()) flush_run();
  return tokens;
}

// One FTS5 string for `text`: `"t1 t2 …"`, with a prefix star when it ends in a lone CJK
// character. Empty when the text has no tokens: FTS5 accepts `""` but it matches nothing, which
// would silently empty an AND.
std::string text_fts_string(std::string_view text) {
  const auto tokens = text_tokenize(text);
  if (tokens.empty()) return {};
  std::string out = "\"";
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) out += ' ';
    // Tokens never hold a quote today (it is punctuation), but the escape keeps the expression
    // valid even if the tokenizer changes.
    for (char c : tokens[i].text) {
      if (c == '"') out += '"';
      out += c;
    }
  }
  out += '"';
  if (tokens.back().lone_cjk) out += '*';
  return out;
}

std::string text_join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::vector<std::string> text_fts_strings(const std::vector<std::string>& texts) {
  std::vector<std::string> out;
  for (const auto& t : texts) {
    auto s = text_fts_string(t);
    if (!s.empty()) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::vector<std::string> index_tokens(std::string_view text) {
  std::vector<std::string> out;
  for (auto& t : text_tokenize(text)) out.push_back(std::move(t.text));
  return out;
}

std::string index_text(std::string_view text) { return text_join(index_tokens(text), " "); }

std::string fts_match(const SearchQuery& query) {
  auto positive = text_fts_strings(query.terms);
  for (auto& p : text_fts_strings(query.phrases)) positive.push_back(std::move(p));
  if (positive.empty()) return {};
  const auto negative = text_fts_strings(query.negated_terms);
  if (negative.empty()) return text_join(positive, " AND ");
  // Appended piecewise: GCC 12 reports a false -Wrestrict for `"(" + std::string&&`.
  std::string out = "(";
  out += text_join(positive, " AND ");
  out += ") NOT (";
  out += text_join(negative, " OR ");
  out += ')';
  return out;
}

std::string fts_match_negated(const SearchQuery& query) {
  return text_join(text_fts_strings(query.negated_terms), " OR ");
}

std::string fts_match_any(const std::vector<std::string>& texts) {
  std::vector<std::string> tokens;
  for (const auto& text : texts)
    for (auto& token : index_tokens(text))
      if (tokens.size() < kMaxQueryItems &&
          std::find(tokens.begin(), tokens.end(), token) == tokens.end())
        tokens.push_back(std::move(token));
  std::string match;
  for (const auto& token : tokens) {
    SearchQuery single;
    single.terms = {token};
    const auto m = fts_match(single);
    if (!m.empty()) match += (match.empty() ? "(" : " OR (") + m + ")";
  }
  return match;
}

// ---------------------------------------------------------------------------------------------
// Snippets.

namespace {

// A matchable piece of the text: a Latin (or Cyrillic, Greek, …) word, or one CJK character.
// Positions are code point indexes into the cleaned text.
struct SnippetUnit {
  std::u32string folded;
  bool cjk = false;
  std::size_t begin = 0, end = 0;
  bool joined = false;                // no separator between this unit and the one before
  std::vector<std::u32string> forms;  // for words: the forms compared (see snippet_forms)
};

struct SnippetSpan {
  std::size_t begin = 0, end = 0;
};

constexpr std::size_t kSnippetMinStem = 3;
// How far a cut may move to land between two words instead of inside one.
constexpr std::size_t kSnippetWordSnap = 20;

// Whitespace and control characters collapsed to single spaces, trimmed, invalid bytes dropped.
std::u32string snippet_clean(std::string_view text) {
  std::u32string out;
  for (char32_t cp : detail::decode_utf8_lossy(text)) {
    if (detail::is_space_or_control(cp)) {
      if (!out.empty() && out.back() != U' ') out.push_back(U' ');
    } else {
      out.push_back(cp);
    }
  }
  if (!out.empty() && out.back() == U' ') out.pop_back();
  return out;
}

// One code point folded for comparison: case folded, compatibility-decomposed (full width to
// ASCII) and without diacritics, as FTS5's remove_diacritics does. Kana and Hangul stay as they
// are: stripping the dakuten would make か match が, and Hangul would decompose into Jamo.
std::u32string snippet_fold(char32_t cp) {
  if (cp < 0x80) {
    if (cp >= 'A' && cp <= 'Z') cp = cp - 'A' + 'a';
    return std::u32string(1, cp);
  }
  if (is_cjk(cp) && !(cp >= 0xFF00 && cp <= 0xFFEF)) return std::u32string(1, cp);
  utf8proc_int32_t buf[32];
  const auto n = utf8proc_decompose_char(
      static_cast<utf8proc_int32_t>(cp), buf, 32,
      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                     UTF8PROC_STRIPMARK | UTF8PROC_IGNORE),
      nullptr);
  if (n < 0 || n > 32) return std::u32string(1, cp);
  std::u32string out;
  for (utf8proc_ssize_t i = 0; i < n; ++i) out.push_back(static_cast<char32_t>(buf[i]));
  return out;
}

bool snippet_ends_with(const std::u32string& w, std::u32string_view suffix) {
  return w.size() >= suffix.size() &&
         std::u32string_view(w).substr(w.size() - suffix.size()) == suffix;
}

// The forms a word is compared by: itself and itself without a trailing s/es/ed/ing (plus an
// `e` put back after ed/ing: saved → save). Two words match when they share a form, so
// printers/printer and printing/printed/print match. Deliberately simple; FTS5's porter stemmer
// decides what is found, this only decides what is highlighted.
std::vector<std::u32string> snippet_forms(const std::u32string& w) {
  std::vector<std::u32string> forms{w};
  const auto add = [&](std::u32string f) {
    if (f.size() >= kSnippetMinStem && std::find(forms.begin(), forms.end(), f) == forms.end())
      forms.push_back(std::move(f));
  };
  const auto strip = [&](std::size_t n) { return w.substr(0, w.size() - n); };
  if (snippet_ends_with(w, U"ing") && w.size() - 3 >= kSnippetMinStem) {
    add(strip(3));
    add(strip(3) + U'e');
  }
  if (snippet_ends_with(w, U"ed") && w.size() - 2 >= kSnippetMinStem) {
    add(strip(2));
    add(strip(2) + U'e');
  }
  if (snippet_ends_with(w, U"es")) add(strip(2));
  if (snippet_ends_with(w, U"s") && !snippet_ends_with(w, U"ss")) add(strip(1));
  return forms;
}

std::vector<SnippetUnit> snippet_units(std::u32string_view cps) {
  std::vector<SnippetUnit> units;
  std::optional<SnippetUnit> word;
  bool separated = true;  // a separator since the last unit
  const auto flush_word = [&] {
    if (!word) return;
    word->forms = snippet_forms(word->folded);
    units.push_back(std::move(*word));
    word.reset();
  };
  for (std::size_t i = 0; i < cps.size(); ++i) {
    const char32_t cp = cps[i];
    if (is_cjk(cp)) {
      flush_word();
      for (char32_t f : snippet_fold(cp)) {
        units.push_back({std::u32string(1, f), true, i, i + 1, !separated, {}});
        separated = false;
      }
      continue;
    }
    if (!detail::is_word_char(cp)) {
      flush_word();
      separated = true;
      continue;
    }
    const auto folded = snippet_fold(cp);
    if (folded.empty()) {  // a stripped mark or an ignorable: part of what it follows
      if (word) word->end = i + 1;
      continue;
    }
    if (!word) {
      word = SnippetUnit{{}, false, i, i + 1, !separated, {}};
      separated = false;
    }
    word->folded += folded;
    word->end = i + 1;
  }
  flush_word();
  return units;
}

bool snippet_unit_matches(const SnippetUnit& needle, const SnippetUnit& unit) {
  if (needle.cjk != unit.cjk) return false;
  if (needle.cjk) return needle.folded == unit.folded;
  for (const auto& f : needle.forms) {
    if (std::find(unit.forms.begin(), unit.forms.end(), f) != unit.forms.end()) return true;
  }
  return false;
}

// Number of text units the needle covers when it starts at text unit `at`, or 0.
std::size_t snippet_match_at(const std::vector<SnippetUnit>& needle,
                             const std::vector<SnippetUnit>& text, std::size_t at) {
  if (needle.empty() || text.size() - at < needle.size()) return 0;
  for (std::size_t j = 0; j < needle.size(); ++j) {
    const auto& unit = text[at + j];
    if (!snippet_unit_matches(needle[j], unit)) return 0;
    // CJK written together in the query must be together in the text (substring semantics);
    // anything else may be separated by spaces or punctuation, as in FTS5 phrases.
    if (j > 0 && needle[j].cjk && needle[j - 1].cjk && needle[j].joined && !unit.joined) return 0;
  }
  return needle.size();
}

// All matches, left to right, longest first where two needles start at the same unit.
std::vector<SnippetSpan> snippet_matches(const std::vector<SnippetUnit>& text,
                                         const std::vector<std::vector<SnippetUnit>>& needles) {
  std::vector<SnippetSpan> spans;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t best = 0;
    for (const auto& needle : needles) {
      const auto covered = snippet_match_at(needle, text, i);
      if (covered > 0 && (best == 0 || text[i + covered - 1].end > text[i + best - 1].end))
        best = covered;
    }
    if (best == 0) {
      ++i;
      continue;
    }
    spans.push_back({text[i].begin, text[i + best - 1].end});
    i += best;
  }
  return spans;
}

bool snippet_is_latin_word_char(char32_t cp) { return detail::is_word_char(cp) && !is_cjk(cp); }

void snippet_append_escaped(std::string& out, char32_t cp) {
  switch (cp) {
    case U'&':
      out += "&amp;";
      break;
    case U'<':
      out += "&lt;";
      break;
    case U'>':
      out += "&gt;";
      break;
    case U'"':
      out += "&quot;";
      break;
    case U'\'':
      out += "&#39;";
      break;
    default:
      detail::append_utf8(out, cp);
  }
}

}  // namespace

std::string snippet(std::string_view text, const SearchQuery& query, std::size_t max_chars) {
  if (max_chars == 0) return {};
  const std::u32string cps = snippet_clean(text);
  const std::size_t n = cps.size();

  std::vector<std::vector<SnippetUnit>> needles;
  for (const auto* list : {&query.terms, &query.phrases}) {
    for (const auto& t : *list) {
      auto units = snippet_units(snippet_clean(t));
      if (!units.empty()) needles.push_back(std::move(units));
    }
  }
  const auto units = snippet_units(cps);
  const auto spans = snippet_matches(units, needles);

  // The window: the first match, with a third of the spare room before it for context.
  std::size_t start = 0;
  std::size_t end = n;
  if (n > max_chars) {
    const SnippetSpan anchor = spans.empty() ? SnippetSpan{} : spans.front();
    const std::size_t len = anchor.end - anchor.begin;
    if (len >= max_chars) {
      start = anchor.begin;
    } else {
      start = anchor.begin - std::min(anchor.begin, (max_chars - len) / 3);
      start = std::min(start, n - max_chars);  // near the end: fill the window backwards
    }
    end = start + max_chars;
    // Prefer cutting between words, as long as the anchor stays inside.
    if (start > 0 && snippet_is_latin_word_char(cps[start - 1]) &&
        snippet_is_latin_word_char(cps[start])) {
      std::size_t s = start;
      while (s < anchor.begin && s - start < kSnippetWordSnap && snippet_is_latin_word_char(cps[s]))
        ++s;
      if (!snippet_is_latin_word_char(cps[s])) start = s;
    }
    if (end < n && snippet_is_latin_word_char(cps[end - 1]) &&
        snippet_is_latin_word_char(cps[end])) {
      std::size_t e = end;
      while (e > std::max(anchor.end, start + 1) && end - e < kSnippetWordSnap &&
             snippet_is_latin_word_char(cps[e - 1]))
        --e;
      if (!snippet_is_latin_word_char(cps[e - 1])) end = e;
    }
  }
  // Spaces at a cut would sit between the text and the ellipsis.
  const std::size_t shown_begin = start;
  const std::size_t shown_end = end;
  while (start < end && cps[start] == U' ') ++start;
  while (end > start && cps[end - 1] == U' ') --end;

  std::string out;
  if (shown_begin > 0) out += "…";
  auto span = spans.begin();
  bool open = false;
  for (std::size_t i = start; i < end; ++i) {
    while (span != spans.end() && span->end <= i) ++span;
    if (!open && span != spans.end() && span->begin <= i) {
      out += "<mark>";
      open = true;
    }
    snippet_append_escaped(out, cps[i]);
    if (open && (i + 1 == span->end || i + 1 == end)) {
      out += "</mark>";
      open = false;
    }
  }
  if (shown_end < n) out += "…";
  return out;
}

}  // namespace gongdan::search
