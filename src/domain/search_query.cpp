#include "domain/search_query.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "domain/search_text.hpp"

namespace gongdan::search {
namespace {

constexpr std::array<std::string_view, 14> kQueryFilterKeys = {
    "status",   "category", "assignee", "requester", "organization", "tag", "department",
    "priority", "type",     "channel",  "created",   "updated",      "is",  "external"};

bool query_is_date_key(std::string_view key) { return key == "created" || key == "updated"; }

bool query_is_separator(char32_t cp) { return detail::is_space_or_control(cp); }

// The parser's view of the input: NFKC code points, with typographic double quotes (what Chinese
// and Japanese input methods produce) turned into ASCII ones.
std::u32string query_prepare(std::string_view q) {
  std::u32string cps = detail::decode_utf8_lossy(
      detail::normalize_nfkc(detail::encode_utf8(detail::decode_utf8_lossy(q)), false));
  for (auto& cp : cps) {
    if (cp == U'\u201C' || cp == U'\u201D' || cp == U'\u201E') cp = U'"';
  }
  return cps;
}

bool query_has_word_char(std::u32string_view s) {
  return std::any_of(s.begin(), s.end(), [](char32_t cp) { return detail::is_word_char(cp); });
}

class QueryParser {
 public:
  explicit QueryParser(std::u32string cps) : cps_(std::move(cps)) {}

  SearchQuery run(bool truncated) {
    out_.truncated = truncated;
    while (true) {
      while (pos_ < cps_.size() && query_is_separator(cps_[pos_])) ++pos_;
      if (pos_ >= cps_.size()) break;
      if (items() >= kMaxQueryItems) {
        out_.truncated = true;
        break;
      }
      item();
    }
    return std::move(out_);
  }

 private:
  std::size_t items() const {
    return out_.filters.size() + out_.terms.size() + out_.phrases.size() +
           out_.negated_terms.size();
  }

  // One whitespace-separated item: `-`? then a quoted phrase, a filter or a word.
  void item() {
    bool negated = false;
    if (cps_[pos_] == U'-' && pos_ + 1 < cps_.size() && !query_is_separator(cps_[pos_ + 1])) {
      negated = true;
      ++pos_;
    }
    if (cps_[pos_] == U'"') {
      add_text(quoted(), negated, /*phrase=*/true);
      return;
    }
    const std::size_t start = pos_;
    while (pos_ < cps_.size() && !query_is_separator(cps_[pos_]) && cps_[pos_] != U'"') ++pos_;
    const std::u32string_view word(cps_.data() + start, pos_ - start);
    if (filter(word, negated)) return;
    add_text(word, negated, /*phrase=*/false);
  }

  // The text of a quoted string starting at pos_; an unterminated quote runs to the end.
  std::u32string_view quoted() {
    const std::size_t start = ++pos_;
    while (pos_ < cps_.size() && cps_[pos_] != U'"') ++pos_;
    const std::u32string_view text(cps_.data() + start, pos_ - start);
    if (pos_ < cps_.size()) ++pos_;  // the closing quote
    return text;
  }

  // `key:value`, `key:"value"`, `created>=v`, `created:>v`. False (nothing consumed beyond
  // `word`) when `word` is not a filter.
  bool filter(std::u32string_view word, bool negated) {
    std::size_t k = 0;
    std::string key;
    for (; k < word.size(); ++k) {
      const char32_t c = word[k];
      if (c >= U'A' && c <= U'Z') {
        key += static_cast<char>(c - U'A' + U'a');
      } else if (c >= U'a' && c <= U'z') {
        key += static_cast<char>(c);
      } else {
        break;
      }
    }
    if (key.empty() || k >= word.size() || !is_search_filter_key(key)) return false;
    std::u32string_view rest = word.substr(k);
    if (rest.front() == U':') rest.remove_prefix(1);
    const auto op = comparison(rest);
    if (op != FilterOp::kEq && !query_is_date_key(key)) return false;
    if (op == FilterOp::kEq && word[k] != U':') return false;  // `status=open`, `tag#x`: a word

    const std::size_t after_word = pos_;
    std::u32string_view value = rest;
    if (value.empty() && pos_ < cps_.size() && cps_[pos_] == U'"') value = quoted();
    // Trim spaces a quoted value may carry.
    while (!value.empty() && query_is_separator(value.front())) value.remove_prefix(1);
    while (!value.empty() && query_is_separator(value.back())) value.remove_suffix(1);
    if (value.empty()) {
      pos_ = after_word;  // `tag:` or `tag:""`: no filter; any quote is read on its own
      return false;
    }
    out_.filters.push_back({std::move(key), bounded(value), op, negated});
    return true;
  }

  // Strips a leading comparison operator from `rest`.
  static FilterOp comparison(std::u32string_view& rest) {
    const auto take = [&](std::u32string_view op, FilterOp result) -> std::optional<FilterOp> {
      if (rest.substr(0, op.size()) != op) return std::nullopt;
      rest.remove_prefix(op.size());
      return result;
    };
    if (auto op = take(U">=", FilterOp::kGe)) return *op;
    if (auto op = take(U"<=", FilterOp::kLe)) return *op;
    if (auto op = take(U">", FilterOp::kGt)) return *op;
    if (auto op = take(U"<", FilterOp::kLt)) return *op;
    return FilterOp::kEq;
  }

  void add_text(std::u32string_view text, bool negated, bool phrase) {
    while (!text.empty() && query_is_separator(text.front())) text.remove_prefix(1);
    while (!text.empty() && query_is_separator(text.back())) text.remove_suffix(1);
    if (!query_has_word_char(text)) return;
    auto s = bounded(text);
    if (negated) {
      out_.negated_terms.push_back(std::move(s));
    } else if (phrase) {
      out_.phrases.push_back(std::move(s));
    } else {
      out_.terms.push_back(std::move(s));
    }
  }

  // UTF-8 of `text`, cut to kMaxTokenBytes on a code point boundary.
  std::string bounded(std::u32string_view text) {
    std::string out;
    for (char32_t cp : text) {
      std::string one;
      detail::append_utf8(one, cp);
      if (out.size() + one.size() > kMaxTokenBytes) {
        out_.truncated = true;
        break;
      }
      out += one;
    }
    return out;
  }

  std::u32string cps_;
  std::size_t pos_ = 0;
  SearchQuery out_;
};

}  // namespace

std::span<const std::string_view> search_filter_keys() { return kQueryFilterKeys; }

bool is_search_filter_key(std::string_view key) {
  return std::find(kQueryFilterKeys.begin(), kQueryFilterKeys.end(), key) != kQueryFilterKeys.end();
}

SearchQuery parse_search_query(std::string_view q) {
  const bool truncated = q.size() > kMaxQueryBytes;
  if (truncated) q = q.substr(0, kMaxQueryBytes);  // a cut code point is dropped as invalid
  return QueryParser(query_prepare(q)).run(truncated);
}

}  // namespace gongdan::search
