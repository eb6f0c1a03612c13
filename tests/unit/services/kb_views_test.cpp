// Help centre page views (issue 18): counted in memory by many request threads at once, written
// by flushes (KbBackground's, every few seconds) while the counting goes on, and the rest when
// KbBackground stops: each view exactly once, none lost, none twice.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "migrated_database.hpp"
#include "services/attachment_files.hpp"
#include "services/job_queue.hpp"
#include "services/kb_background.hpp"
#include "services/kb_service.hpp"
#include "store/database.hpp"

namespace gongdan::services {
namespace {

constexpr int kArticles = 1250;  // two translations each
constexpr int kThreads = 4;
constexpr int kRounds = 3;

class KbViewsTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    auto made = db_->write([&](store::Connection& c) -> Result<void> {
      GONGDAN_TRY(store::run(c,
                             "INSERT INTO kb_categories (name, created_at, updated_at) "
                             "VALUES ('c', 0, 0)"));
      GONGDAN_TRY(store::run(c,
                             "INSERT INTO kb_sections (category_id, name, created_at, updated_at) "
                             "VALUES (1, 's', 0, 0)"));
      for (int a = 1; a <= kArticles; ++a) {
        GONGDAN_TRY(store::run(c,
                               "INSERT INTO kb_articles (id, section_id, created_at, updated_at) "
                               "VALUES (?, 1, 0, 0)",
                               a));
        for (const char* lang : {"en", "zh-CN"})
          GONGDAN_TRY(store::run(c,
                                 "INSERT INTO kb_translations (article_id, lang, title, body, "
                                 "body_html, body_text, state, version, created_at, updated_at) "
                                 "VALUES (?, ?, 't', 'b', 'b', 'b', 'published', 1, 0, 0)",
                                 a, std::string(lang)));
      }
      return {};
    });
    ASSERT_TRUE(made) << made.error().message;
    auto ids = db_->read([&](store::Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(ids_, store::select_ids(c, "SELECT id FROM kb_translations ORDER BY id"));
      return {};
    });
    ASSERT_TRUE(ids) << ids.error().message;
    ASSERT_EQ(ids_.size(), 2u * kArticles);
  }

  std::int64_t count(std::string_view sql) {
    std::int64_t n = -1;
    auto read = db_->read([&](store::Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(n, store::select_count(c, sql));
      return {};
    });
    EXPECT_TRUE(read) << read.error().message;
    return n;
  }

  ManualClock clock_{1'767'603'600'000};
  std::vector<std::int64_t> ids_;
};

TEST_F(KbViewsTest, EveryViewIsWrittenOnceWhileCountingGoesOnAndAtStop) {
  JobQueue jobs(*db_, clock_);
  AttachmentFiles files(dir_ / "files");
  KbService kb(*db_, clock_, jobs, files);
  KbBackground background(*db_, kb);
  ASSERT_TRUE(background.start());
  std::atomic<bool> counting{true};
  std::atomic<int> flushes{0};
  // Flushes while the views are being counted, as the background thread's are.
  std::thread flusher([&] {
    while (counting) {
      EXPECT_TRUE(kb.flush_views());
      ++flushes;
    }
  });
  std::vector<std::thread> readers;
  for (int t = 0; t < kThreads; ++t)
    readers.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round)
        for (std::size_t i = 0; i < ids_.size(); ++i)
          kb.count_view(ids_[(i + static_cast<std::size_t>(t) * 617) % ids_.size()]);
    });
  for (auto& r : readers) r.join();
  counting = false;
  flusher.join();
  EXPECT_GT(flushes.load(), 0);
  for (int t = 0; t < kThreads; ++t) kb.count_view(ids_[0]);  // left for the stop to write
  background.stop();
  const std::int64_t all = std::int64_t{kThreads} * (kRounds * 2 * kArticles + 1);
  EXPECT_EQ(count("SELECT SUM(views) FROM kb_translations"), all);
  EXPECT_EQ(count("SELECT COUNT(*) FROM kb_translations WHERE views <> " +
                  std::to_string(kThreads * kRounds)),
            1);
  EXPECT_EQ(count("SELECT views FROM kb_translations WHERE id = " + std::to_string(ids_[0])),
            kThreads * (kRounds + 1));
  // Nothing waits any more: a flush now writes nothing, a second stop neither.
  ASSERT_TRUE(kb.flush_views());
  background.stop();
  EXPECT_EQ(count("SELECT SUM(views) FROM kb_translations"), all);
}

TEST_F(KbViewsTest, AFlushReturnsOnceWhatItTookIsCommitted) {
  JobQueue jobs(*db_, clock_);
  AttachmentFiles files(dir_ / "files");
  KbService kb(*db_, clock_, jobs, files);
  for (int n = 0; n < 5; ++n) kb.count_view(ids_[0]);
  ASSERT_TRUE(kb.flush_views());
  EXPECT_EQ(count("SELECT views FROM kb_translations WHERE id = " + std::to_string(ids_[0])), 5);
  EXPECT_EQ(count("SELECT SUM(views) FROM kb_translations"), 5);
}

}  // namespace
}  // namespace gongdan::services
