// The knowledge base's search index on both engines: a search answers in its language only, and
// a language's older matches are still found when the newest matches of the same words are all
// in another language (the window of newest matches is counted within the language).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "pg_live.hpp"
#include "store/migrations.hpp"
#include "store/search_index.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace gongdan::store {
namespace {

// One published translation in `lang` with `words` in its body, indexed; returns its id.
Result<std::int64_t> add_translation(Connection& c, SearchIndex& index, std::int64_t section,
                                     std::string_view lang, const std::string& words) {
  GONGDAN_ASSIGN(auto a, query(c,
                               "INSERT INTO kb_articles (section_id, created_at, updated_at) "
                               "VALUES (?, 0, 0) RETURNING id"));
  GONGDAN_ASSIGN(bool row, a.bind(section).next());
  if (!row) return fail(ErrorCode::kInternal, "no article");
  const auto article = a.integer(0);
  GONGDAN_ASSIGN(auto t, query(c,
                               "INSERT INTO kb_translations (article_id, lang, title, body, "
                               "body_html, body_text, state, version, created_at, updated_at) "
                               "VALUES (?, ?, 'Title', ?, '', ?, 'published', 1, 0, 0) "
                               "RETURNING id"));
  GONGDAN_ASSIGN(row, t.bind(article, lang, words, words).next());
  if (!row) return fail(ErrorCode::kInternal, "no translation");
  const auto id = t.integer(0);
  GONGDAN_TRY(index.index_article(c, id, lang, "title", words));
  return id;
}

// 1 English translation, then 450 Chinese ones (newer, so first in the newest-first walk), all
// with the word "zorbix"; then the searches.
void check_language_window(Database& db) {
  std::int64_t english = 0;
  ASSERT_TRUE(db.write([&](Connection& c) -> Result<void> {
    GONGDAN_TRY(
        run(c, "INSERT INTO kb_categories (name, created_at, updated_at) VALUES ('c', 0, 0)"));
    GONGDAN_TRY(run(c,
                    "INSERT INTO kb_sections (category_id, name, created_at, updated_at) "
                    "SELECT MAX(id), 's', 0, 0 FROM kb_categories"));
    GONGDAN_ASSIGN(auto s, query(c, "SELECT MAX(id) FROM kb_sections"));
    GONGDAN_ASSIGN(bool row, s.next());
    if (!row) return fail(ErrorCode::kInternal, "no section");
    const auto section = s.integer(0);
    GONGDAN_ASSIGN(english, add_translation(c, db.search_index(), section, "en", "zorbix en"));
    for (int i = 0; i < 450; ++i)
      GONGDAN_TRY(add_translation(c, db.search_index(), section, "zh-CN", "zorbix 中文"));
    return {};
  }));
  std::vector<std::int64_t> en, zh;
  ASSERT_TRUE(db.read([&](Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(en, db.search_index().search_articles(c, "\"zorbix\"", "en", 10));
    GONGDAN_ASSIGN(zh, db.search_index().search_articles(c, "\"zorbix\"", "zh-CN", 10));
    return {};
  }));
  EXPECT_EQ(en, std::vector<std::int64_t>{english});
  ASSERT_EQ(zh.size(), 10u);
  for (auto id : zh) EXPECT_NE(id, english);
}

TEST(KbSearchIndex, SqliteAnswersInTheLanguageBeyondTheOtherLanguagesNewestMatches) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("gongdan-kb-index-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    SqliteOptions options;
    options.path = (dir / "test.db").string();
    auto db = SqliteDatabase::open(options);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(migrate(**db));
    check_language_window(**db);
  }
  std::filesystem::remove_all(dir);
}

class KbSearchIndexPg : public PgLive {};

TEST_F(KbSearchIndexPg, PgLiveAnswersInTheLanguageBeyondTheOtherLanguagesNewestMatches) {
  ASSERT_TRUE(migrate(*db_));
  check_language_window(*db_);
}

}  // namespace
}  // namespace gongdan::store
