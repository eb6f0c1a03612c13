#include "domain/search_query.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "util/text.hpp"

namespace gongdan::search {
namespace {

using Strings = std::vector<std::string>;

SearchFilter eq(std::string key, std::string value, bool negated = false) {
  return SearchFilter{std::move(key), std::move(value), FilterOp::kEq, negated};
}

TEST(SearchQuery, SplitsTheIssueExample) {
  const auto q = parse_search_query(
      R"(status:open assignee:me tag:vip department:售后 "exact phrase" printer 打印机 -spam)");
  const std::vector<SearchFilter> filters{eq("status", "open"), eq("assignee", "me"),
                                          eq("tag", "vip"), eq("department", "售后")};
  EXPECT_EQ(q.filters, filters);
  EXPECT_EQ(q.phrases, Strings{"exact phrase"});
  EXPECT_EQ(q.terms, (Strings{"printer", "打印机"}));
  EXPECT_EQ(q.negated_terms, Strings{"spam"});
  EXPECT_FALSE(q.truncated);
  EXPECT_TRUE(q.has_text());
}

TEST(SearchQuery, EveryFilterKeyIsRecognised) {
  for (std::string_view key : search_filter_keys()) {
    const auto q = parse_search_query(std::string(key) + ":x");
    ASSERT_EQ(q.filters.size(), 1u) << key;
    EXPECT_EQ(q.filters[0].key, key);
    EXPECT_TRUE(q.terms.empty()) << key;
  }
  EXPECT_EQ(search_filter_keys().size(), 14u);
  EXPECT_TRUE(is_search_filter_key("department"));
  EXPECT_FALSE(is_search_filter_key("Department"));
  EXPECT_FALSE(is_search_filter_key("body"));
}

TEST(SearchQuery, QuotedFilterValues) {
  const auto q = parse_search_query(R"(department:"After sales" tag:" vip " printer)");
  const std::vector<SearchFilter> filters{eq("department", "After sales"), eq("tag", "vip")};
  EXPECT_EQ(q.filters, filters);
  EXPECT_EQ(q.terms, Strings{"printer"});
  EXPECT_TRUE(q.phrases.empty());
}

TEST(SearchQuery, DateComparisons) {
  const auto q = parse_search_query(
      "created>2026-01-01 created<2026-02-01 updated>=2026-01-05 updated<=2026-01-06 "
      "created:>2025-12-31 created:2026-01-02");
  ASSERT_EQ(q.filters.size(), 6u);
  const std::vector<SearchFilter> filters{
      {"created", "2026-01-01", FilterOp::kGt, false},
      {"created", "2026-02-01", FilterOp::kLt, false},
      {"updated", "2026-01-05", FilterOp::kGe, false},
      {"updated", "2026-01-06", FilterOp::kLe, false},
      {"created", "2025-12-31", FilterOp::kGt, false},
      {"created", "2026-01-02", FilterOp::kEq, false},
  };
  EXPECT_EQ(q.filters, filters);
  EXPECT_TRUE(q.terms.empty());
}

TEST(SearchQuery, ComparisonsOnOtherKeysAreWords) {
  const auto q = parse_search_query("priority>high status=open tag#x");
  EXPECT_TRUE(q.filters.empty());
  EXPECT_EQ(q.terms, (Strings{"priority>high", "status=open", "tag#x"}));
}

TEST(SearchQuery, UnknownKeysAreWords) {
  const auto q = parse_search_query("body:printer http://example.com/a:b 12:30");
  EXPECT_TRUE(q.filters.empty());
  EXPECT_EQ(q.terms, (Strings{"body:printer", "http://example.com/a:b", "12:30"}));
}

TEST(SearchQuery, KeysAreCaseInsensitiveValuesKeepCase) {
  const auto q = parse_search_query("Status:Open TAG:VIP");
  const std::vector<SearchFilter> filters{eq("status", "Open"), eq("tag", "VIP")};
  EXPECT_EQ(q.filters, filters);
}

TEST(SearchQuery, Negations) {
  const auto q =
      parse_search_query(R"(-tag:spam -"out of office" -junk a-b - -created<2026-01-01)");
  const std::vector<SearchFilter> filters{eq("tag", "spam", true),
                                          {"created", "2026-01-01", FilterOp::kLt, true}};
  EXPECT_EQ(q.filters, filters);
  EXPECT_EQ(q.negated_terms, (Strings{"out of office", "junk"}));
  EXPECT_EQ(q.terms, Strings{"a-b"});  // a lone `-` is dropped
}

TEST(SearchQuery, EmptyFilterValuesAreNotFilters) {
  const auto q = parse_search_query(R"(status: tag:"" department:"  ")");
  EXPECT_TRUE(q.filters.empty());
  EXPECT_EQ(q.terms, (Strings{"status:", "tag:", "department:"}));
  EXPECT_TRUE(q.phrases.empty());
}

TEST(SearchQuery, UnterminatedQuoteRunsToTheEnd) {
  const auto q = parse_search_query(R"(printer "paper jam   )");
  EXPECT_EQ(q.terms, Strings{"printer"});
  EXPECT_EQ(q.phrases, Strings{"paper jam"});
}

TEST(SearchQuery, QuoteInsideAWordStartsAPhrase) {
  const auto q = parse_search_query(R"(foo"bar baz" qux)");
  EXPECT_EQ(q.terms, (Strings{"foo", "qux"}));
  EXPECT_EQ(q.phrases, Strings{"bar baz"});
}

TEST(SearchQuery, FullWidthAndIdeographicSpaceAreNormalised) {
  // NFKC: ｓｔａｔｕｓ：ｏｐｅｎ is status:open, U+3000 is a space, ＶＰＮ is VPN.
  const auto q = parse_search_query("ｓｔａｔｕｓ：ｏｐｅｎ　打印机　ＶＰＮ");
  EXPECT_EQ(q.filters, std::vector<SearchFilter>{eq("status", "open")});
  EXPECT_EQ(q.terms, (Strings{"打印机", "VPN"}));
}

TEST(SearchQuery, TypographicQuotesAreQuotes) {
  const auto q = parse_search_query("“打印机 坏了” department:“After sales”");
  EXPECT_EQ(q.phrases, Strings{"打印机 坏了"});
  EXPECT_EQ(q.filters, std::vector<SearchFilter>{eq("department", "After sales")});
}

TEST(SearchQuery, OperatorsAndPunctuationAreNotSyntax) {
  const auto q = parse_search_query(R"(* ( ) : ^ + NEAR AND OR NOT a*b (x) {y})");
  EXPECT_TRUE(q.filters.empty());
  // Pure punctuation can never match and is dropped; operator words are plain words.
  EXPECT_EQ(q.terms, (Strings{"NEAR", "AND", "OR", "NOT", "a*b", "(x)", "{y}"}));
}

TEST(SearchQuery, EmptyAndBlankQueries) {
  EXPECT_TRUE(parse_search_query("").empty());
  EXPECT_TRUE(parse_search_query("   \t\n ").empty());
  EXPECT_TRUE(parse_search_query(R"("" "  " - -- ***)").empty());
  EXPECT_FALSE(parse_search_query("").has_text());
}

TEST(SearchQuery, AtMost32Items) {
  std::string q;
  for (int i = 0; i < 100; ++i) q += "w" + std::to_string(i) + " tag:t" + std::to_string(i) + " ";
  const auto parsed = parse_search_query(q);
  EXPECT_EQ(parsed.terms.size() + parsed.filters.size(), kMaxQueryItems);
  EXPECT_EQ(parsed.terms.front(), "w0");
  EXPECT_TRUE(parsed.truncated);

  std::string exact;
  for (int i = 0; i < 32; ++i) exact += "w" + std::to_string(i) + "   ";
  EXPECT_FALSE(parse_search_query(exact).truncated);
}

TEST(SearchQuery, TokensAreCutTo256BytesOnCharacterBoundaries) {
  const auto latin = parse_search_query(std::string(1000, 'a'));
  ASSERT_EQ(latin.terms.size(), 1u);
  EXPECT_EQ(latin.terms[0].size(), kMaxTokenBytes);
  EXPECT_TRUE(latin.truncated);

  std::string cjk;
  for (int i = 0; i < 100; ++i) cjk += "印";  // 3 bytes each
  const auto parsed = parse_search_query("\"" + cjk + "\" tag:" + cjk);
  ASSERT_EQ(parsed.phrases.size(), 1u);
  EXPECT_EQ(parsed.phrases[0].size(), 255u);
  EXPECT_TRUE(text::is_valid_utf8(parsed.phrases[0]));
  ASSERT_EQ(parsed.filters.size(), 1u);
  EXPECT_EQ(parsed.filters[0].value.size(), 255u);
}

TEST(SearchQuery, HugeInputIsBounded) {
  std::string q(kMaxQueryBytes + 10, ' ');
  q += "late";
  const auto parsed = parse_search_query(q);
  EXPECT_TRUE(parsed.terms.empty());
  EXPECT_TRUE(parsed.truncated);
}

TEST(SearchQuery, InvalidUtf8IsDropped) {
  const auto q =
      parse_search_query("pri\xffnter \xe6\x89 tag:v\xc0\xafip \xed\xa0\x80 \xe6\x89\x93");
  EXPECT_EQ(q.terms, (Strings{"printer", "打"}));
  EXPECT_EQ(q.filters, std::vector<SearchFilter>{eq("tag", "vip")});
}

// Whatever bytes arrive, the parser returns bounded, valid UTF-8 and never crashes.
TEST(SearchQuery, RandomBytesStayBoundedAndValid) {
  std::mt19937 rng(20260101);
  const std::vector<std::string> pieces{"\"",
                                        "-",
                                        ":",
                                        "status",
                                        "tag",
                                        "created",
                                        ">",
                                        "<",
                                        "=",
                                        " ",
                                        "打印",
                                        "ＶＰＮ",
                                        "\xff",
                                        "\xe6",
                                        "\t",
                                        "“",
                                        "”",
                                        "NEAR",
                                        "*",
                                        "(",
                                        "a",
                                        "é",
                                        std::string(1, '\0'),
                                        "프린",
                                        "が"};
  for (int round = 0; round < 2000; ++round) {
    std::string q;
    const int n = static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) {
      if (rng() % 4 == 0) {
        q += static_cast<char>(rng() % 256);
      } else {
        q += pieces[rng() % pieces.size()];
      }
    }
    const auto parsed = parse_search_query(q);
    const std::size_t items = parsed.filters.size() + parsed.terms.size() + parsed.phrases.size() +
                              parsed.negated_terms.size();
    ASSERT_LE(items, kMaxQueryItems);
    for (const auto* list : {&parsed.terms, &parsed.phrases, &parsed.negated_terms}) {
      for (const auto& s : *list) {
        ASSERT_FALSE(s.empty());
        ASSERT_LE(s.size(), kMaxTokenBytes);
        ASSERT_TRUE(text::is_valid_utf8(s));
      }
    }
    for (const auto& f : parsed.filters) {
      ASSERT_TRUE(is_search_filter_key(f.key));
      ASSERT_FALSE(f.value.empty());
      ASSERT_TRUE(text::is_valid_utf8(f.value));
    }
  }
}

}  // namespace
}  // namespace gongdan::search
