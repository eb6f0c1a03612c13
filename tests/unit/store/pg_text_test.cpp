#include <gtest/gtest.h>

#include "domain/search_query.hpp"
#include "domain/search_text.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_search_index.hpp"

namespace gongdan::store {
namespace {

TEST(PgPlaceholders, NumbersQuestionMarksOutsideQuotes) {
  int n = 0;
  EXPECT_EQ(pg_placeholders("SELECT a FROM t WHERE b = ? AND c = '?' AND \"d?\" = ?", n),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND \"d?\" = $2");
  EXPECT_EQ(n, 2);
  EXPECT_EQ(pg_placeholders("SELECT 'it''s ?', ?", n), "SELECT 'it''s ?', $1");
  EXPECT_EQ(n, 1);
  EXPECT_EQ(pg_placeholders("SELECT 1", n), "SELECT 1");
  EXPECT_EQ(n, 0);
}

TEST(TsqueryFromFts, TranslatesTermsPhrasesPrefixesAndNegation) {
  EXPECT_EQ(tsquery_from_fts("\"printer\""), "('printer')");
  EXPECT_EQ(tsquery_from_fts("\"打印\" AND \"印机\""), "('打印') & ('印机')");
  EXPECT_EQ(tsquery_from_fts("\"a b c\""), "('a' <-> 'b' <-> 'c')");
  EXPECT_EQ(tsquery_from_fts("\"打\"*"), "('打':*)");
  EXPECT_EQ(tsquery_from_fts("(\"x\" AND \"y\") NOT (\"z\" OR \"w\")"),
            "(('x') & ('y')) & ! (('z') | ('w'))");
  EXPECT_EQ(tsquery_from_fts("\"say \"\"hi\"\"\""), "('say' <-> '\"hi\"')");
  EXPECT_EQ(tsquery_from_fts("\"o'neil\""), "('o''neil')");
  EXPECT_EQ(tsquery_from_fts(""), "");
}

TEST(TsqueryFromFts, AcceptsWhatTheQueryLanguageProduces) {
  // Every match expression the search service can build must translate to balanced text.
  for (const char* q : {"打印机 无法连接", "printers -toner", "\"exact phrase\" 售后", "a"}) {
    const auto ts = tsquery_from_fts(search::fts_match(search::parse_search_query(q)));
    int depth = 0;
    for (char ch : ts) {
      depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
      ASSERT_GE(depth, 0) << ts;
    }
    EXPECT_EQ(depth, 0) << ts;
    EXPECT_FALSE(ts.empty()) << q;
  }
}

}  // namespace
}  // namespace gongdan::store
