#include "domain/search_text.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "domain/search_query.hpp"
#include "util/text.hpp"

namespace gongdan::search {
namespace {

using Strings = std::vector<std::string>;

Strings split_spaces(const std::string& s) {
  Strings out;
  std::string cur;
  for (char c : s) {
    if (c == ' ') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// What an FTS5 phrase query does on our index: the query's tokens appear consecutively among
// the stored tokens.
bool phrase_in_index(const std::string& document, const std::string& query_text) {
  const auto doc = split_spaces(index_text(document));
  const auto needle = split_spaces(index_text(query_text));
  if (needle.empty() || needle.size() > doc.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= doc.size(); ++i) {
    if (std::equal(needle.begin(), needle.end(), doc.begin() + static_cast<std::ptrdiff_t>(i)))
      return true;
  }
  return false;
}

// A small recogniser for the FTS5 expressions fts_match may produce: quoted strings (with ""
// escapes, non-blank, optionally followed by *), AND/OR/NOT between operands, balanced
// parentheses. Anything else (a bare word, a stray quote or star, NEAR, a column filter) fails.
bool well_formed_fts(std::string_view e) {
  std::size_t i = 0;
  int depth = 0;
  bool expect_operand = true;
  while (i < e.size()) {
    const char c = e[i];
    if (c == ' ') {
      ++i;
    } else if (c == '(') {
      if (!expect_operand) return false;
      ++depth;
      ++i;
    } else if (c == ')') {
      if (expect_operand || depth == 0) return false;
      --depth;
      ++i;
    } else if (c == '"') {
      if (!expect_operand) return false;
      ++i;
      std::string content;
      while (true) {
        if (i >= e.size()) return false;
        if (e[i] == '"') {
          if (i + 1 < e.size() && e[i + 1] == '"') {
            content += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        content += e[i++];
      }
      if (content.find_first_not_of(' ') == std::string::npos) return false;
      if (i < e.size() && e[i] == '*') ++i;
      expect_operand = false;
    } else {
      std::size_t j = i;
      while (j < e.size() && e[j] >= 'A' && e[j] <= 'Z') ++j;
      const auto keyword = e.substr(i, j - i);
      if (expect_operand || (keyword != "AND" && keyword != "OR" && keyword != "NOT")) return false;
      expect_operand = true;
      i = j;
    }
  }
  return depth == 0 && !expect_operand;
}

std::string match(std::string_view q) { return fts_match(parse_search_query(q)); }

// The visible text of a snippet: markup removed, entities left as one character each.
std::u32string visible(const std::string& html) {
  std::string plain;
  for (std::size_t i = 0; i < html.size();) {
    if (html.compare(i, 6, "<mark>") == 0) {
      i += 6;
    } else if (html.compare(i, 7, "</mark>") == 0) {
      i += 7;
    } else if (html[i] == '&') {
      plain += '&';
      i = html.find(';', i) + 1;
    } else {
      plain += html[i++];
    }
  }
  return detail::decode_utf8_lossy(plain);
}

std::string snip(std::string_view text, std::string_view q, std::size_t max_chars = 160) {
  return snippet(text, parse_search_query(q), max_chars);
}

// ----- index_text -------------------------------------------------------------------------

TEST(SearchIndexText, ChineseRunsBecomeOverlappingBigrams) {
  EXPECT_EQ(index_text("办公室的打印机"), "办公 公室 室的 的打 打印 印机");
  EXPECT_EQ(index_text("办公室的打印机无法连接。请尽快处理！"),
            "办公 公室 室的 的打 打印 印机 机无 无法 法连 连接 请尽 尽快 快处 处理");
}

TEST(SearchIndexText, IsolatedCjkCharactersStayUnigrams) {
  EXPECT_EQ(index_text("我 的"), "我 的");
  EXPECT_EQ(index_text("A是B"), "a 是 b");
  EXPECT_EQ(index_text("打"), "打");
}

TEST(SearchIndexText, LatinWordsAreKeptLowerCasedWithoutPunctuation) {
  EXPECT_EQ(index_text("Hello, World! The printer's e-mail: ops@example.com"),
            "hello world the printer s e mail ops example com");
  EXPECT_EQ(index_text("Принтер НЕ работает"), "принтер не работает");
  EXPECT_EQ(index_text("Café STRASSE Straße"), "café strasse strasse");
  EXPECT_EQ(index_text(""), "");
  EXPECT_EQ(index_text(" \t\n ... !!! "), "");
}

TEST(SearchIndexText, MixedLatinAndChinese) {
  EXPECT_EQ(index_text("VPN连接失败"), "vpn 连接 接失 失败");
  EXPECT_EQ(index_text("Windows11系统的VPN客户端v2.3"), "windows11 系统 统的 vpn 客户 户端 v2 3");
}

TEST(SearchIndexText, FullWidthLatinIsNormalised) {
  EXPECT_EQ(index_text("ＶＰＮ连接失败"), "vpn 连接 接失 失败");
  EXPECT_EQ(index_text("ＰＲＩＮＴＥＲ　１２３"), "printer 123");
}

TEST(SearchIndexText, Japanese) {
  EXPECT_EQ(index_text("プリンターが動かない"), "プリ リン ンタ ター ーが が動 動か かな ない");
  // Half-width katakana is NFKC-normalised to full width; ・ is punctuation.
  EXPECT_EQ(index_text("ﾌﾟﾘﾝﾀｰ・テスト"), "プリ リン ンタ ター テス スト");
  EXPECT_TRUE(phrase_in_index("会議室のプリンターが動かない", "プリンター"));
  EXPECT_TRUE(phrase_in_index("会議室のﾌﾟﾘﾝﾀｰが動かない", "プリンター"));
}

TEST(SearchIndexText, Korean) {
  EXPECT_EQ(index_text("프린터가 연결되지 않습니다"),
            "프린 린터 터가 연결 결되 되지 않습 습니 니다");
  EXPECT_TRUE(phrase_in_index("사무실 프린터가 연결되지 않습니다", "프린터"));
  EXPECT_TRUE(phrase_in_index("사무실 프린터가 연결되지 않습니다", "연결"));
}

TEST(SearchIndexText, InvalidUtf8IsDropped) {
  EXPECT_EQ(index_text("打\xff印\xe6\x89机 ok\xc0"), "打印 印机 ok");
  EXPECT_TRUE(text::is_valid_utf8(index_text("\xed\xa0\x80\xf8\x88\x80\x80\x80 a")));
}

TEST(SearchIndexText, TokensMatchIndexText) {
  EXPECT_EQ(index_tokens("VPN连接失败 ok"), (Strings{"vpn", "连接", "接失", "失败", "ok"}));
}

TEST(SearchIndexText, QueryBigramsAppearConsecutivelyInTheDocument) {
  const std::string doc = "办公室的打印机无法连接";
  EXPECT_TRUE(phrase_in_index(doc, "打印机"));
  EXPECT_TRUE(phrase_in_index(doc, "无法连接"));
  EXPECT_TRUE(phrase_in_index(doc, "办公室"));
  EXPECT_FALSE(phrase_in_index(doc, "打印纸"));
  EXPECT_FALSE(phrase_in_index(doc, "连接打印机"));
  EXPECT_TRUE(phrase_in_index("VPN连接失败了", "VPN连接失败"));
  EXPECT_TRUE(phrase_in_index("ＶＰＮ 连接失败", "vpn连接"));
}

TEST(SearchIndexText, ClassifiesCjk) {
  EXPECT_TRUE(is_cjk(U'打'));
  EXPECT_TRUE(is_cjk(U'の'));
  EXPECT_TRUE(is_cjk(U'ー'));
  EXPECT_TRUE(is_cjk(U'한'));
  EXPECT_TRUE(is_cjk(U'々'));
  EXPECT_TRUE(is_cjk(U'\U00020000'));
  EXPECT_FALSE(is_cjk(U'・'));
  EXPECT_FALSE(is_cjk(U'。'));
  EXPECT_FALSE(is_cjk(U'a'));
  EXPECT_FALSE(is_cjk(U'Ａ'));
  EXPECT_FALSE(is_cjk(U'Я'));
}

// ----- fts_match ---------------------------------------------------------------------------

TEST(SearchFtsMatch, LatinTermsAreQuotedAndAnded) {
  EXPECT_EQ(match("printers"), R"("printers")");
  EXPECT_EQ(match("Printer Toner"), R"("printer" AND "toner")");
}

TEST(SearchFtsMatch, CjkTermsBecomeBigramPhrases) {
  EXPECT_EQ(match("打印机"), R"("打印 印机")");
  EXPECT_EQ(match("打印"), R"("打印")");
  EXPECT_EQ(match("打"), R"("打"*)");
  EXPECT_EQ(match("VPN连接失败"), R"("vpn 连接 接失 失败")");
  EXPECT_EQ(match("ＶＰＮ"), R"("vpn")");
  EXPECT_EQ(match("プリンター"), R"("プリ リン ンタ ター")");
  EXPECT_EQ(match("프린터"), R"("프린 린터")");
  EXPECT_EQ(match("VPN连"), R"("vpn 连"*)");
}

TEST(SearchFtsMatch, PhrasesAndNegations) {
  EXPECT_EQ(match(R"("Paper Jam" printer)"), R"("printer" AND "paper jam")");
  EXPECT_EQ(match(R"(printer -spam -"out of office")"),
            R"(("printer") NOT ("spam" OR "out of office"))");
  EXPECT_EQ(match(R"("打印机 无法连接")"), R"("打印 印机 无法 法连 连接")");
}

TEST(SearchFtsMatch, NothingToMatch) {
  EXPECT_EQ(match("status:open tag:vip"), "");
  EXPECT_EQ(match(""), "");
  EXPECT_EQ(match("-spam"), "");  // FTS5 has no unary NOT
  EXPECT_EQ(fts_match_negated(parse_search_query("-spam -打印机 printer")),
            R"("spam" OR "打印 印机")");
  EXPECT_EQ(fts_match_negated(parse_search_query("printer")), "");
}

TEST(SearchFtsMatch, HandBuiltQueriesAreEscapedToo) {
  SearchQuery q;
  q.terms = {"a\"b", "\"", "*", "NEAR(x y)", "\xff"};
  q.phrases = {"col:val \" OR \"x"};
  const auto expr = fts_match(q);
  EXPECT_EQ(expr, R"("a b" AND "near x y" AND "col val or x")");
  EXPECT_TRUE(well_formed_fts(expr));
}

TEST(SearchFtsMatch, HostileInputNeverBreaksTheSyntax) {
  const std::vector<std::string> hostile{R"(")",
                                         R"("")",
                                         R"(""")",
                                         "*",
                                         "NEAR",
                                         "NEAR(a b)",
                                         "AND",
                                         "a AND b OR c",
                                         "(",
                                         ")",
                                         ":",
                                         "body:printer",
                                         "{body}: x",
                                         "^printer",
                                         "printer*",
                                         "NOT",
                                         "- -- -\"",
                                         R"(a" OR "b)",
                                         R"(打印机" OR ")",
                                         R"(-"x" -)",
                                         "col:\"v\"",
                                         "+x",
                                         "a\\\"b",
                                         "\"\" OR \"\"",
                                         "打*",
                                         R"(NEAR("a" "b", 3))"};
  for (const auto& q : hostile) {
    const auto expr = match(q);
    if (!expr.empty()) {
      EXPECT_TRUE(well_formed_fts(expr)) << q << " -> " << expr;
    }
  }
  // Terms first, then phrases: `a`, `b` and the phrase ` OR `.
  EXPECT_EQ(match(R"(a" OR "b)"), R"("a" AND "b" AND "or")");
}

TEST(SearchFtsMatch, RandomQueriesAreWellFormed) {
  std::mt19937 rng(7);
  const std::vector<std::string> pieces{"\"", "-",    ":",    "*",    "(",  ")",  " ",    "AND",
                                        "OR", "NOT",  "NEAR", "^",    "+",  "打", "印机", "ＶＰＮ",
                                        "x",  "tag:", "“",    "\xff", "が", "{",  "}",    ","};
  for (int round = 0; round < 3000; ++round) {
    std::string q;
    const int n = static_cast<int>(rng() % 20);
    for (int i = 0; i < n; ++i) q += pieces[rng() % pieces.size()];
    const auto parsed = parse_search_query(q);
    for (const auto& expr : {fts_match(parsed), fts_match_negated(parsed)}) {
      if (!expr.empty()) {
        ASSERT_TRUE(well_formed_fts(expr)) << q << " -> " << expr;
      }
    }
  }
}

TEST(SearchFtsMatch, RecogniserRejectsBrokenExpressions) {
  // The checker above must itself be able to fail, or the tests using it prove nothing.
  EXPECT_FALSE(well_formed_fts(R"("a)"));
  EXPECT_FALSE(well_formed_fts(R"("a" "b")"));
  EXPECT_FALSE(well_formed_fts(R"("a" AND)"));
  EXPECT_FALSE(well_formed_fts(R"(("a")"));
  EXPECT_FALSE(well_formed_fts(R"(a)"));
  EXPECT_FALSE(well_formed_fts(R"("a" NEAR "b")"));
  EXPECT_FALSE(well_formed_fts(R"("")"));
  EXPECT_TRUE(well_formed_fts(R"(("a" AND "b""c"*) NOT ("d" OR "e"))"));
}

// ----- snippet -----------------------------------------------------------------------------

TEST(SearchSnippet, MarksLatinWordFormsCaseInsensitively) {
  EXPECT_EQ(snip("The printer in room 5 is jammed", "printers"),
            "The <mark>printer</mark> in room 5 is jammed");
  EXPECT_EQ(snip("Two PRINTERS broke", "printer"), "Two <mark>PRINTERS</mark> broke");
  EXPECT_EQ(snip("It printed, then kept printing", "print"),
            "It <mark>printed</mark>, then kept <mark>printing</mark>");
  EXPECT_EQ(snip("boxes and classes", "box class"), "<mark>boxes</mark> and <mark>classes</mark>");
  EXPECT_EQ(snip("I saved it", "save"), "I <mark>saved</mark> it");
}

TEST(SearchSnippet, LatinMatchesWholeWordsOnly) {
  EXPECT_EQ(snip("a reprinter here", "printer"), "a reprinter here");
  EXPECT_EQ(snip("thing", "the"), "thing");
}

TEST(SearchSnippet, CjkMatchesSubstrings) {
  EXPECT_EQ(snip("办公室的打印机无法连接", "打印机"), "办公室的<mark>打印机</mark>无法连接");
  EXPECT_EQ(snip("办公室的打印机无法连接", "打印机 连接"),
            "办公室的<mark>打印机</mark>无法<mark>连接</mark>");
  // Characters typed together must be together in the text.
  EXPECT_EQ(snip("打印 机", "打印机"), "打印 机");
}

TEST(SearchSnippet, MixedFullWidthJapaneseKorean) {
  EXPECT_EQ(snip("VPN 连接失败", "VPN连接失败"), "<mark>VPN 连接失败</mark>");
  EXPECT_EQ(snip("ＶＰＮ连接失败", "vpn"), "<mark>ＶＰＮ</mark>连接失败");
  EXPECT_EQ(snip("VPN连接失败", "ＶＰＮ"), "<mark>VPN</mark>连接失败");
  EXPECT_EQ(snip("プリンターが動かない", "プリンター"), "<mark>プリンター</mark>が動かない");
  EXPECT_EQ(snip("がか", "か"), "が<mark>か</mark>");  // the dakuten is not a diacritic here
  EXPECT_EQ(snip("프린터가 연결되지 않습니다", "프린터"),
            "<mark>프린터</mark>가 연결되지 않습니다");
  EXPECT_EQ(snip("Café au lait", "cafe"), "<mark>Café</mark> au lait");
}

TEST(SearchSnippet, PhrasesAndNegations) {
  EXPECT_EQ(snip("A paper \n  jam again", "\"paper jam\""), "A <mark>paper jam</mark> again");
  EXPECT_EQ(snip("spam printer", "printer -spam"), "spam <mark>printer</mark>");
  EXPECT_EQ(snip("paper and jam", "\"paper jam\""), "paper and jam");
}

TEST(SearchSnippet, EscapesHtml) {
  EXPECT_EQ(snip(R"(<b>printer</b> & "toner" 'x')", "printer"),
            "&lt;b&gt;<mark>printer</mark>&lt;/b&gt; &amp; &quot;toner&quot; &#39;x&#39;");
  EXPECT_EQ(snip("<script>alert(1)</script>", "script"),
            "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;");
}

TEST(SearchSnippet, CutsAWindowAroundTheFirstMatch) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "lorem ipsum ";
  text += "the printer is jammed ";
  for (int i = 0; i < 100; ++i) text += "dolor sit amet ";
  const auto s = snip(text, "printer", 80);
  EXPECT_TRUE(s.starts_with("…")) << s;
  EXPECT_TRUE(s.ends_with("…")) << s;
  EXPECT_NE(s.find("<mark>printer</mark>"), std::string::npos) << s;
  const auto shown = visible(s);
  EXPECT_LE(shown.size(), 82u);
  EXPECT_GE(shown.size(), 60u);
  // Cut between words: the first and last visible words are whole.
  EXPECT_TRUE(s.starts_with("…lorem ") || s.starts_with("…ipsum ")) << s;
  EXPECT_TRUE(s.ends_with(" dolor…") || s.ends_with(" sit…") || s.ends_with(" amet…")) << s;
}

TEST(SearchSnippet, CutsCjkOnCharacterBoundaries) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "的是";
  text += "打印机";
  for (int i = 0; i < 100; ++i) text += "不在";
  const auto s = snip(text, "打印机", 30);
  EXPECT_TRUE(text::is_valid_utf8(s));
  EXPECT_TRUE(s.starts_with("…"));
  EXPECT_TRUE(s.ends_with("…"));
  EXPECT_NE(s.find("<mark>打印机</mark>"), std::string::npos);
  EXPECT_EQ(visible(s).size(), 32u);  // 30 characters and two ellipses
}

TEST(SearchSnippet, NearTheEndTheWindowIsFilledBackwards) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "word ";
  text += "printer";
  const auto s = snip(text, "printer", 40);
  EXPECT_TRUE(s.starts_with("…"));
  EXPECT_TRUE(s.ends_with("<mark>printer</mark>"));
  EXPECT_GE(visible(s).size(), 35u);
}

TEST(SearchSnippet, WithoutAMatchShowsTheStart) {
  std::string text = "Hello team, ";
  for (int i = 0; i < 50; ++i) text += "nothing here ";
  const auto s = snip(text, "printer", 40);
  EXPECT_TRUE(s.starts_with("Hello team, nothing")) << s;
  EXPECT_TRUE(s.ends_with("…"));
  EXPECT_EQ(s.find("<mark>"), std::string::npos);
  EXPECT_EQ(snip("short text", "status:open"), "short text");
}

TEST(SearchSnippet, AMatchLongerThanTheWindowIsClipped) {
  const auto s = snip("x " + std::string(50, 'a') + " y", std::string(50, 'a'), 10);
  EXPECT_EQ(s, "…<mark>" + std::string(10, 'a') + "</mark>…");
}

TEST(SearchSnippet, OddInputs) {
  EXPECT_EQ(snip("", "printer"), "");
  EXPECT_EQ(snip("printer", "printer", 0), "");
  EXPECT_EQ(snip("pri\xffnter ok", "printer"), "<mark>printer</mark> ok");
  EXPECT_EQ(snip("  \n printer \t ", "printer"), "<mark>printer</mark>");
  std::mt19937 rng(3);
  for (int round = 0; round < 500; ++round) {
    std::string text;
    for (int i = 0; i < 200; ++i) text += static_cast<char>(rng() % 256);
    const auto s = snip(text + " printer 打印机", "printer 打印机 \xe6", 20);
    ASSERT_TRUE(text::is_valid_utf8(s));
    ASSERT_LE(visible(s).size(), 22u);
  }
}

}  // namespace
}  // namespace gongdan::search
