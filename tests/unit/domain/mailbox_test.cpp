#include "domain/mailbox.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace gongdan {
namespace {

Mailbox box(std::int64_t id, std::optional<std::int64_t> department, std::string smtp_host) {
  Mailbox m;
  m.id = id;
  m.department_id = department;
  m.smtp_host = std::move(smtp_host);
  return m;
}

TEST(SendingMailbox, TheDepartmentsOwnElseOneForEveryDepartment) {
  const std::vector<Mailbox> boxes{box(1, 7, ""), box(2, std::nullopt, "smtp.a"),
                                   box(3, std::nullopt, "smtp.b"), box(4, 7, "smtp.c"),
                                   box(5, 8, "smtp.d")};
  EXPECT_EQ(sending_mailbox(boxes, 7)->id, 4);  // the first of 7 that sends
  EXPECT_EQ(sending_mailbox(boxes, 9)->id, 2);  // none of its own: the first shared one
  EXPECT_EQ(sending_mailbox(boxes, std::nullopt)->id, 2);
  EXPECT_EQ(sending_mailbox(std::vector<Mailbox>{box(1, 8, "smtp.a")}, 7), nullptr);
}

TEST(PlainName, OnlyASafeAlphabet) {
  EXPECT_TRUE(is_plain_name("imap.example.com", ":[]"));
  EXPECT_TRUE(is_plain_name("[::1]:993", ":[]"));
  EXPECT_TRUE(is_plain_name("Archive/2026 Q1", " /"));
  EXPECT_FALSE(is_plain_name("a b", ":[]"));
  EXPECT_FALSE(is_plain_name("IN\"BOX", " /"));
  EXPECT_FALSE(is_plain_name("", ""));
  EXPECT_FALSE(is_plain_name(std::string(256, 'a'), ""));
}

}  // namespace
}  // namespace gongdan
