// The text side of full-text search for SQLite FTS5 with the tokenizer
// `porter unicode61 remove_diacritics 2`. unicode61 splits on spaces and punctuation only, so a
// Chinese, Japanese or Korean sentence would be one giant token and `打印机` could never find
// `办公室的打印机无法连接`. We therefore pre-segment CJK ourselves into overlapping bigrams, both
// in what we store (index_text) and in what we ask (fts_match), and let FTS5 match bigram phrases.
//
// Contracts:
// - index_text(text): NFKC + case folding (full-width `ＶＰＮ` becomes `vpn`), invalid UTF-8
//   dropped, then the tokens joined by single spaces: a word of any other script as one token;
//   every run of CJK ideographs, kana and Hangul as its overlapping bigrams (`办公室的打印机` →
//   `办公 公室 室的 的打 打印 印机`); a run of one CJK character as that unigram. Punctuation and
//   symbols are dropped (unicode61 would drop them anyway). Pure and deterministic: store it in
//   the FTS table instead of the raw text.
// - fts_match(query): an FTS5 MATCH expression that is always syntactically valid, whatever the
//   user typed: each term and phrase becomes a quoted FTS5 string of its index tokens (so the
//   porter stemmer sees Latin words: `printers` finds `printer`; a CJK term becomes a phrase of
//   adjacent bigrams: `"打印 印机"`); a term ending in a lone CJK character gets a prefix `*`
//   (`"打"*` matches the unigram and every bigram starting with it); all ANDed; negated terms
//   appended as `NOT (… OR …)`. Returns "" when there is no positive term (filters only, or only
//   negations): FTS5 has no unary NOT, see fts_match_negated.
// - fts_match_negated(query): the negated terms ORed, or "": lets a caller with only negations
//   exclude matching rows itself (`rowid NOT IN (SELECT rowid FROM f WHERE f MATCH ?)`).
// - snippet(text, query, max_chars): about max_chars code points of `text` around the first
//   match of a term or phrase (whitespace collapsed, cut on code point boundaries and, for Latin
//   words, preferably on word boundaries, with `…` where cut), HTML-escaped, every match inside
//   wrapped in <mark>…</mark>. Matching folds case, width and diacritics; Latin words match
//   simple English forms (a trailing s/es/ed/ing is ignored: `printers` marks `printer`); CJK
//   terms match as substrings. With no match it is the start of the text. Negated terms are never
//   marked.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "domain/search_query.hpp"

namespace gongdan::search {

std::string index_text(std::string_view text);
// index_text's tokens, in order (index_text is these joined by ' ').
std::vector<std::string> index_tokens(std::string_view text);

std::string fts_match(const SearchQuery& query);
std::string fts_match_negated(const SearchQuery& query);
// Each index token of `texts` on its own, ORed (at most kMaxQueryItems, repeats once): any may
// match and more matches rank higher. For suggestions from text as people write it (a ticket's
// subject): its words need not all be in a hit, and a Chinese subject's bigrams each count.
std::string fts_match_any(const std::vector<std::string>& texts);

// What the contact index holds for a person: their name and email, prepared like index_text.
inline std::string contact_text(std::string_view name, std::string_view email) {
  return index_text(std::string(name) + " " + std::string(email));
}

std::string snippet(std::string_view text, const SearchQuery& query, std::size_t max_chars = 160);

// A code point that is segmented into bigrams: Han ideographs (and 々〆〇), kana, Hangul,
// Bopomofo.
bool is_cjk(char32_t cp);

namespace detail {
// Shared by the query parser and the text functions (named, not anonymous, because the domain
// library is a unity build).

// The code points of `s`; bytes that are not well-formed UTF-8 are skipped one at a time.
std::u32string decode_utf8_lossy(std::string_view s);
void append_utf8(std::string& out, char32_t cp);
std::string encode_utf8(std::u32string_view cps);
// NFKC (and Unicode case folding when `fold_case`), default-ignorable characters removed.
// Input must be valid UTF-8; on any utf8proc failure the input is returned unchanged.
std::string normalize_nfkc(std::string_view valid_utf8, bool fold_case);
// Letters, digits, marks and private-use characters: what a word is made of.
bool is_word_char(char32_t cp);
// Unicode white space and control characters.
bool is_space_or_control(char32_t cp);
}  // namespace detail

}  // namespace gongdan::search
