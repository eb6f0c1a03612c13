#include "store/column_table.hpp"

#include <gtest/gtest.h>

#include "domain/kb.hpp"
#include "scratch_sqlite.hpp"

namespace gongdan::store {
namespace {

enum class Size { kSmall = 1, kLarge = 2 };

struct Item {
  std::int64_t id = 0;
  std::string name;
  KbState state = KbState::kArchived;
  Size size = Size::kSmall;
  std::optional<std::int64_t> owner_id;
};

const ColumnTable kItems("items i", column("id", &Item::id), column("name", &Item::name),
                         column("state", &Item::state,
                                by_name(parse_kb_state, kb_state_name, KbState::kDraft)),
                         column("size", &Item::size), column("owner_id", &Item::owner_id));

class ColumnTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_);
    ASSERT_TRUE(db_->write([](Connection& c) {
      return c.exec(
          "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, state TEXT NOT NULL, "
          "size INTEGER NOT NULL, owner_id INTEGER)");
    }));
  }

  ScratchSqlite db_;
};

TEST_F(ColumnTableTest, NamesTheColumnsOnceForSelectInsertAndFind) {
  EXPECT_EQ(kItems.list(), "i.id, i.name, i.state, i.size, i.owner_id");
  EXPECT_EQ(kItems.select("WHERE i.size = ?"),
            "SELECT i.id, i.name, i.state, i.size, i.owner_id FROM items i WHERE i.size = ?");
}

TEST_F(ColumnTableTest, WritesAnEnumByItsNameAndReadsItBack) {
  Item item;
  item.name = "guide";
  item.state = KbState::kInReview;
  item.size = Size::kLarge;
  std::int64_t id = 0;
  ASSERT_TRUE(db_->write([&](Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(id, kItems.insert(c, item, "item"));
    return {};
  }));
  ASSERT_TRUE(db_->read([&](Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto stored, query(c, "SELECT state, size FROM items WHERE id = ?"));
    GONGDAN_ASSIGN(bool row, stored.bind(id).next());
    EXPECT_TRUE(row);
    EXPECT_EQ(stored.text(0), "in_review");  // the name, not the number
    EXPECT_EQ(stored.integer(1), 2);
    return {};
  }));
  ASSERT_TRUE(db_->read([&](Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto found, kItems.find(c, id));
    EXPECT_TRUE(found);
    if (!found) return {};
    EXPECT_EQ(found->id, id);
    EXPECT_EQ(found->name, "guide");
    EXPECT_EQ(found->state, KbState::kInReview);
    EXPECT_EQ(found->size, Size::kLarge);
    EXPECT_FALSE(found->owner_id);
    return {};
  }));
}

TEST_F(ColumnTableTest, AnUnknownNameReadsAsTheFallback) {
  ASSERT_TRUE(db_->write([](Connection& c) {
    return c.exec(
        "INSERT INTO items (id, name, state, size, owner_id) VALUES (7, 'x', 'gone', 1, 3)");
  }));
  ASSERT_TRUE(db_->read([&](Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto found, kItems.find(c, 7));
    EXPECT_TRUE(found);
    if (!found) return {};
    EXPECT_EQ(found->state, KbState::kDraft);
    EXPECT_EQ(found->owner_id, 3);
    return {};
  }));
}

}  // namespace
}  // namespace gongdan::store
