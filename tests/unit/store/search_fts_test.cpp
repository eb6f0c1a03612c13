// The search text functions against the real SQLite FTS5 with the tokenizer the store uses:
// what index_text stores and fts_match asks must find exactly the expected documents, and no
// user input may produce an expression FTS5 rejects.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "domain/search_query.hpp"
#include "domain/search_text.hpp"

namespace gongdan::search {
namespace {

using Rows = std::set<sqlite3_int64>;

class SearchFts : public ::testing::Test {
 protected:
  void SetUp() override {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(":memory:", &raw), SQLITE_OK);
    db_.reset(raw);
    exec(
        "CREATE VIRTUAL TABLE f USING fts5(body, "
        "tokenize='porter unicode61 remove_diacritics 2')");
    for (std::size_t i = 0; i < docs_.size(); ++i)
      insert(static_cast<sqlite3_int64>(i + 1), docs_[i]);
  }

  void exec(const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &err);
    ASSERT_EQ(rc, SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
  }

  void insert(sqlite3_int64 rowid, const std::string& text) {
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db_.get(), "INSERT INTO f(rowid, body) VALUES (?, ?)", -1, &stmt,
                                 nullptr),
              SQLITE_OK);
    const std::string indexed = index_text(text);
    sqlite3_bind_int64(stmt, 1, rowid);
    sqlite3_bind_text(stmt, 2, indexed.c_str(), static_cast<int>(indexed.size()), SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE);
    sqlite3_finalize(stmt);
  }

  // Rows for an FTS5 expression via `sql` with one `?`; fails the test on any SQLite error.
  Rows rows(const char* sql, const std::string& expr) {
    Rows out;
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_.get(), sql, -1, &stmt, nullptr), SQLITE_OK);
    if (!stmt) return out;
    sqlite3_bind_text(stmt, 1, expr.c_str(), static_cast<int>(expr.size()), SQLITE_TRANSIENT);
    int rc = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) out.insert(sqlite3_column_int64(stmt, 0));
    EXPECT_EQ(rc, SQLITE_DONE) << "expression: " << expr << ": " << sqlite3_errmsg(db_.get());
    sqlite3_finalize(stmt);
    return out;
  }

  // The final status of running a MATCH: SQLITE_DONE when FTS5 accepted the expression.
  int match_status(const std::string& expr) {
    sqlite3_stmt* stmt = nullptr;
    int rc =
        sqlite3_prepare_v2(db_.get(), "SELECT rowid FROM f WHERE f MATCH ?", -1, &stmt, nullptr);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_text(stmt, 1, expr.c_str(), static_cast<int>(expr.size()), SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    sqlite3_finalize(stmt);
    return rc;
  }

  Rows search(std::string_view q) {
    const auto expr = fts_match(parse_search_query(q));
    if (expr.empty()) return {};
    return rows("SELECT rowid FROM f WHERE f MATCH ?", expr);
  }

  struct CloseDb {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
  };
  std::unique_ptr<sqlite3, CloseDb> db_;
  const std::vector<std::string> docs_{
      "办公室的打印机无法连接",                               // 1
      "The printer in room 5 is jammed",                      // 2
      "VPN连接失败，请检查网络",                              // 3
      "会議室のプリンターが動かない",                         // 4
      "사무실 프린터가 연결되지 않습니다",                    // 5
      "Spam: buy cheap printers now",                         // 6
      "ＶＰＮ ｃｌｉｅｎｔ crashed, 打开 again",              // 7
      "请打电话给我",                                         // 8
      R"(The "NEAR" operator AND (parentheses): col:value)",  // 9
      "Café menu printing was slow",                          // 10
  };
};

TEST_F(SearchFts, ChineseFindsTextWithoutSpaces) {
  EXPECT_EQ(search("打印机"), Rows{1});
  EXPECT_EQ(search("无法连接"), Rows{1});
  EXPECT_EQ(search("连接"), (Rows{1, 3}));
  EXPECT_EQ(search("打印纸"), Rows{});
  EXPECT_EQ(search("\"打印机 无法连接\""), Rows{});  // a phrase keeps its space
  EXPECT_EQ(search("网络"), Rows{3});
}

TEST_F(SearchFts, SingleCjkCharacterFindsUnigramsAndBigramsStartingWithIt) {
  EXPECT_EQ(search("打"), (Rows{1, 7, 8}));
  EXPECT_EQ(search("的"), Rows{1});
}

TEST_F(SearchFts, EnglishWordForms) {
  EXPECT_EQ(search("printers"), (Rows{2, 6}));
  EXPECT_EQ(search("printer"), (Rows{2, 6}));
  EXPECT_EQ(search("PRINTER jammed"), Rows{2});
  EXPECT_EQ(search("print"), Rows{10});  // porter: printing → print, printer stays
  EXPECT_EQ(search("\"room 5\""), Rows{2});
  EXPECT_EQ(search("cafe"), Rows{10});
}

TEST_F(SearchFts, MixedJapaneseKoreanFullWidth) {
  EXPECT_EQ(search("VPN连接失败"), Rows{3});
  EXPECT_EQ(search("VPN"), (Rows{3, 7}));
  EXPECT_EQ(search("ＶＰＮ"), (Rows{3, 7}));
  EXPECT_EQ(search("vpn client"), Rows{7});
  EXPECT_EQ(search("プリンター"), Rows{4});
  EXPECT_EQ(search("会議室"), Rows{4});
  EXPECT_EQ(search("프린터"), Rows{5});
  EXPECT_EQ(search("연결"), Rows{5});
}

TEST_F(SearchFts, NegationsAndFilters) {
  EXPECT_EQ(search("printer -spam"), Rows{2});
  EXPECT_EQ(search("printer -\"cheap printers\""), Rows{2});
  EXPECT_EQ(search("status:open tag:vip"), Rows{});  // no text: the caller lists instead
  EXPECT_EQ(fts_match(parse_search_query("status:open -spam")), "");
  // Only negations: the caller excludes what fts_match_negated finds.
  const auto negated = fts_match_negated(parse_search_query("-spam -打印机"));
  EXPECT_EQ(
      rows("SELECT rowid FROM f WHERE rowid NOT IN (SELECT rowid FROM f WHERE f MATCH ?)", negated),
      (Rows{2, 3, 4, 5, 7, 8, 9, 10}));
}

TEST_F(SearchFts, OperatorsTypedByUsersAreWords) {
  EXPECT_EQ(search("NEAR"), Rows{9});
  EXPECT_EQ(search("AND"), Rows{9});
  EXPECT_EQ(search("col:value"), Rows{9});
  // Two words, `NEAR(operator` and `parentheses)`, both in document 9; as a phrase they are not.
  EXPECT_EQ(search("NEAR(operator parentheses)"), Rows{9});
  EXPECT_EQ(search("\"NEAR operator parentheses\""), Rows{});
  EXPECT_EQ(search("printer*"), (Rows{2, 6}));  // no prefix search sneaks in
  EXPECT_EQ(search("body:printer"), Rows{});
}

TEST_F(SearchFts, RawUserInputWouldBreakFts5) {
  // Why fts_match exists: passed straight through, these fail or change meaning.
  EXPECT_NE(match_status(R"(a" OR)"), SQLITE_DONE);
  EXPECT_NE(match_status("NEAR("), SQLITE_DONE);
  EXPECT_NE(match_status("col:value"), SQLITE_DONE);  // no such column
  EXPECT_NE(match_status("-spam"), SQLITE_DONE);
  EXPECT_EQ(match_status(fts_match(parse_search_query(R"(a" OR)"))), SQLITE_DONE);
}

TEST_F(SearchFts, HostileQueriesAlwaysPrepare) {
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
                                         R"(NEAR("a" "b", 3))",
                                         "-printer",
                                         "rowid:1",
                                         "f:printer",
                                         "'; DROP TABLE f; --"};
  for (const auto& q : hostile) {
    const auto parsed = parse_search_query(q);
    for (const auto& expr : {fts_match(parsed), fts_match_negated(parsed)}) {
      if (!expr.empty()) {
        EXPECT_EQ(match_status(expr), SQLITE_DONE) << q << " -> " << expr;
      }
    }
  }
  std::mt19937 rng(11);
  const std::vector<std::string> pieces{
      "\"",   "-", ":", "*",  "(",    ")",        " ", "AND",  "OR", "NOT",
      "NEAR", "^", "+", "打", "印机", "ＶＰＮ",   "x", "tag:", "“",  "\xff",
      "が",   "{", "}", ",",  "body", "printers", "'", ";",    "\\", "프린"};
  for (int round = 0; round < 1500; ++round) {
    std::string q;
    const int n = static_cast<int>(rng() % 16);
    for (int i = 0; i < n; ++i) q += pieces[rng() % pieces.size()];
    const auto parsed = parse_search_query(q);
    for (const auto& expr : {fts_match(parsed), fts_match_negated(parsed)}) {
      if (!expr.empty()) {
        EXPECT_EQ(match_status(expr), SQLITE_DONE) << q << " -> " << expr;
      }
    }
    if (HasFailure()) {
      ADD_FAILURE() << "query: " << q;
      return;
    }
  }
}

}  // namespace
}  // namespace gongdan::search
