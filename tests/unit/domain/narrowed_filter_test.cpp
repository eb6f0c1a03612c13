#include "domain/narrowed_filter.hpp"

#include <gtest/gtest.h>

namespace gongdan {
namespace {

TEST(NarrowedFilter, AddsWhatTheViewLeavesOpen) {
  TicketFilter all_open;
  all_open.categories = {StatusCategory::kNew, StatusCategory::kOpen};
  TicketFilter bar;
  bar.priorities = {Priority::kUrgent};
  bar.tag = "vip";
  bar.assignees = {7};
  const auto f = narrowed(all_open, bar);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->categories, all_open.categories);
  EXPECT_EQ(f->priorities, bar.priorities);
  EXPECT_EQ(f->tag, "vip");
  EXPECT_EQ(f->assignees, std::vector<std::int64_t>{7});
}

TEST(NarrowedFilter, KeepsOnlyWhatBothLists) {
  TicketFilter view;
  view.categories = {StatusCategory::kNew, StatusCategory::kOpen};
  view.departments = {0, 3, 4};
  TicketFilter bar;
  bar.categories = {StatusCategory::kOpen, StatusCategory::kSolved};
  bar.departments = {4};
  const auto f = narrowed(view, bar);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->categories, std::vector<StatusCategory>{StatusCategory::kOpen});
  EXPECT_EQ(f->departments, std::vector<std::int64_t>{4});
}

TEST(NarrowedFilter, NothingWhenNoTicketCouldMatchBoth) {
  TicketFilter mine;
  mine.assignees = {7};
  TicketFilter unassigned;
  unassigned.assignees = {0};
  EXPECT_FALSE(narrowed(mine, unassigned));
  TicketFilter asked;
  asked.requester_id = 5;
  TicketFilter other;
  other.requester_id = 6;
  EXPECT_FALSE(narrowed(asked, other));
  EXPECT_TRUE(narrowed(asked, asked));
}

TEST(NarrowedFilter, DateRangesOverlap) {
  TicketFilter view;
  view.created_from = 100;
  view.created_to = 500;
  TicketFilter bar;
  bar.created_from = 200;
  bar.created_to = 900;
  bar.updated_to = 50;
  const auto f = narrowed(view, bar);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->created_from, 200);
  EXPECT_EQ(f->created_to, 500);
  EXPECT_EQ(f->updated_to, 50);
}

}  // namespace
}  // namespace gongdan
