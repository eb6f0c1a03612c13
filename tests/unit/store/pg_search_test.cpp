// Newest-first search over bucket and block lexemes (pg_search_blocks.hpp). The PgLive tests run
// against a real PostgreSQL and compare every answer with a plain scan of all documents.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pg_live.hpp"
#include "store/migrations.hpp"
#include "store/postgres/pg_search_blocks.hpp"
#include "store/search_index.hpp"

namespace gongdan::store {
namespace {

TEST(SearchBlocks, BucketRangesAreNamedWithTheLargestBlocksThatFit) {
  EXPECT_EQ(buckets_query(79, 79), "'~79'");
  EXPECT_EQ(buckets_query(0, 7), "'~17_0'");
  EXPECT_EQ(buckets_query(5, 20),
            "'~20' | '~19' | '~18' | '~17' | '~16' | '~17_1' | '~7' | '~6' | '~5'");
  EXPECT_EQ(buckets_query(0, 575), "'~20_8' | '~23_0'");  // 64 + 512 buckets
  EXPECT_EQ(block_lexemes((std::int64_t{47} << 14) + 5), "{~47,~17_5,~20_0,~23_0}");
}

constexpr FtsTable kTickets{"ticket_fts", "ticket_id"};

class PgSearch : public PgLive {
 protected:
  // Subjects at ids of our choosing: the newest 4,100 hold none of the words searched for, so
  // the recent window never answers and the ranges of buckets do.
  void SetUp() override {
    PgLive::SetUp();
    if (!db_) return;
    ASSERT_TRUE(migrate(*db_));
    const std::int64_t top = std::int64_t{100} << kSearchBucketShift;
    std::vector<std::pair<std::int64_t, std::string>> docs;
    for (int i = 0; i < 4100; ++i) docs.emplace_back(top + i, "beta gamma");
    for (int i = 0; i < 5; ++i) docs.emplace_back(top + 4100 + i, "alpha newest");
    for (int i = 0; i < 300; ++i) {
      docs.emplace_back((std::int64_t{40} << kSearchBucketShift) + i * 100,
                        i % 3 ? "alpha middle" : "alpha omega");
      docs.emplace_back((std::int64_t{3} << kSearchBucketShift) + i * 7, "alpha oldest");
    }
    docs.emplace_back(9, "omega alpha");
    // Spread over buckets that one range holds, so its newest matches take several reads.
    for (std::int64_t bucket : {60, 57, 50, 35})
      for (int i = 0; i < 60; ++i)
        docs.emplace_back((bucket << kSearchBucketShift) + 1000 + i * 3, "kappa");
    ASSERT_TRUE(db_->write([&](Connection& c) -> Result<void> {
      for (const auto& [id, subject] : docs)
        GONGDAN_TRY(db_->search_index().index_ticket(c, id, subject, ""));
      return {};
    }));
  }

  std::vector<std::int64_t> searched(const std::string& ts, int window) {
    std::vector<std::int64_t> out;
    auto r = db_->read([&](Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(out, newest_matches(c, kTickets, ts, window));
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
    return out;
  }
  std::vector<std::int64_t> scanned(const std::string& ts, int window) {
    std::vector<std::int64_t> out;
    auto r = db_->read([&](Connection& c) -> Result<void> {
      // An expression no index holds: every document is read.
      GONGDAN_ASSIGN(auto q, query(c,
                                   "SELECT ticket_id FROM ticket_fts WHERE (doc || '') @@ "
                                   "to_tsquery('gongdan', ?) ORDER BY ticket_id DESC LIMIT ?"));
      q.bind(ts, window);
      GONGDAN_ASSIGN(out, read_ids(q));
      return {};
    });
    EXPECT_TRUE(r) << r.error().message;
    return out;
  }
};

TEST_F(PgSearch, PgLiveNewestMatchesAreExactWhereverTheyLie) {
  // 5 at the top, then a range holding 300 where 45 are needed: its halves are asked in turn
  // down to one bucket.
  for (int window : {1, 5, 50, 305, 500, 700}) {
    const auto got = searched("'alpha'", window);
    EXPECT_EQ(got, scanned("'alpha'", window)) << window;
    EXPECT_EQ(got.size(), std::min<std::size_t>(window, 606)) << window;
  }
  EXPECT_EQ(searched("'omega' <-> 'alpha'", 10), std::vector<std::int64_t>{9});
  EXPECT_EQ(searched("'alpha' <-> 'omega'", 20), scanned("'alpha' <-> 'omega'", 20));
  EXPECT_EQ(searched("'alpha' & !'middle'", 400), scanned("'alpha' & !'middle'", 400));
  for (int window : {61, 150, 200, 240, 300}) {
    const auto got = searched("'kappa'", window);
    EXPECT_EQ(got, scanned("'kappa'", window)) << window;
    EXPECT_EQ(got.size(), std::min<std::size_t>(window, 240)) << window;
  }
  EXPECT_TRUE(searched("'zeta'", 50).empty());
  EXPECT_EQ(searched("'beta'", 50), scanned("'beta'", 50));  // the recent window answers
}

}  // namespace
}  // namespace gongdan::store
