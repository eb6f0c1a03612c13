#include "services/reply_address.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace gongdan::services {
namespace {

class ReplyAddress : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gongdan-reply-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  SecretBox box(const char* name = "mail.key") {
    auto b = SecretBox::open_or_create(dir_ / name);
    EXPECT_TRUE(b);
    return std::move(*b);
  }
  std::filesystem::path dir_;
};

TEST_F(ReplyAddress, RoundTripsThroughPlusAddressing) {
  const auto key = box();
  const auto address = agent_reply_address(key, "support@desk.example", 1234, 7);
  ASSERT_TRUE(address.starts_with("support+t1234-a7-")) << address;
  ASSERT_TRUE(address.ends_with("@desk.example")) << address;
  auto tag = verified_reply_tag(key, {"someone@example.com", address});
  ASSERT_TRUE(tag);
  EXPECT_EQ(tag->ticket_number, 1234);
  EXPECT_EQ(tag->agent_id, 7);
  // Some MTAs change the case of the local part.
  std::string upper = address;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(verified_reply_tag(key, {upper}));
  // A mailbox whose own local part has a "+" already.
  const auto plus = agent_reply_address(key, "help+cn@desk.example", 5, 2);
  auto t2 = verified_reply_tag(key, {plus});
  ASSERT_TRUE(t2);
  EXPECT_EQ(t2->ticket_number, 5);
}

TEST_F(ReplyAddress, RefusesTamperingAndOtherKeys) {
  const auto key = box();
  const auto address = agent_reply_address(key, "support@desk.example", 12, 3);
  // Another ticket or agent with the same MAC.
  const auto mac = address.substr(address.rfind('-') + 1);
  EXPECT_FALSE(verified_reply_tag(key, {"support+t13-a3-" + mac}));
  EXPECT_FALSE(verified_reply_tag(key, {"support+t12-a4-" + mac}));
  // A flipped character, a short MAC, garbage.
  std::string flipped = address;
  const auto at = flipped.find('@');
  flipped[at - 1] = flipped[at - 1] == '0' ? '1' : '0';
  EXPECT_FALSE(verified_reply_tag(key, {flipped}));
  EXPECT_FALSE(verified_reply_tag(key, {"support+t12-a3-abc@desk.example"}));
  EXPECT_FALSE(verified_reply_tag(key, {"support+t-a-@desk.example", "+", "@", "", "t12"}));
  EXPECT_FALSE(verified_reply_tag(key, {"support+t0-a3-" + mac}));
  // The key from another data directory.
  const auto other = box("other.key");
  EXPECT_FALSE(verified_reply_tag(other, {address}));
}

}  // namespace
}  // namespace gongdan::services
