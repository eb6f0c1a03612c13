// The search box language: what a user types into `GET /api/v1/search?q=…`, split into filters
// (`status:open`, `department:"After sales"`, `created>2026-01-01`, `-tag:spam`), free words,
// quoted phrases and negated words/phrases.
//
// Contract of parse_search_query:
// - never throws (except std::bad_alloc) and never fails: any input gives a query, possibly empty;
// - bounded: the input is looked at up to kMaxQueryBytes, at most kMaxQueryItems filters, terms,
//   phrases and negations in total are kept, each at most kMaxTokenBytes (cut on a UTF-8
//   boundary); `truncated` says a limit dropped something;
// - invalid UTF-8 bytes are dropped; the text is NFKC-normalised, so full-width
// `ｓｔａｔｕｓ：ｏｐｅｎ`
//   and an ideographic space work like their ASCII forms; “curly” double quotes act as quotes;
// - filter keys are lower-cased; values, terms and phrases keep their case (matching folds it);
// - `key:value` with a key that is not in search_filter_keys() is an ordinary term, and so is a
//   filter with an empty value; a comparison (`<`, `<=`, `>`, `>=`, also written `key:>v`) is a
//   filter only for the date keys `created` and `updated`;
// - words and phrases with no letter or digit in them (`*`, `(`, `-`) are dropped: they could
//   never match anything;
// - FTS5 operators typed by the user (AND, OR, NOT, NEAR) are plain words here.
// The values are not validated (a department name, a date): that is for whoever turns filters
// into a TicketFilter, which knows the catalogue.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gongdan::search {

inline constexpr std::size_t kMaxQueryItems = 32;
inline constexpr std::size_t kMaxTokenBytes = 256;
inline constexpr std::size_t kMaxQueryBytes = 8192;

enum class FilterOp {
  kEq,  // key:value
  kLt,  // key<value
  kLe,  // key<=value
  kGt,  // key>value
  kGe,  // key>=value
};

struct SearchFilter {
  std::string key;    // one of search_filter_keys(), lower case
  std::string value;  // unquoted, NFKC, case kept; never empty
  FilterOp op = FilterOp::kEq;
  bool negated = false;  // written `-key:value`

  bool operator==(const SearchFilter&) const = default;
};

struct SearchQuery {
  std::vector<SearchFilter> filters;
  std::vector<std::string> terms;          // free words, in input order
  std::vector<std::string> phrases;        // the text between quotes
  std::vector<std::string> negated_terms;  // `-word` and `-"some phrase"`
  bool truncated = false;                  // a size limit dropped part of the input

  // True when there is something for full-text search to look for (terms or phrases);
  // a query of filters and negations only lists tickets instead.
  bool has_text() const { return !terms.empty() || !phrases.empty(); }
  bool empty() const {
    return filters.empty() && terms.empty() && phrases.empty() && negated_terms.empty();
  }
};

// status, category, assignee, requester, organization, tag, department, priority, type,
// channel, created, updated, is, external (an imported ticket's old id).
std::span<const std::string_view> search_filter_keys();
bool is_search_filter_key(std::string_view key);  // exact, lower-case comparison

SearchQuery parse_search_query(std::string_view q);

}  // namespace gongdan::search
