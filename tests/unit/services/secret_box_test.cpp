#include "services/secret_box.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <unistd.h>

#include <filesystem>

namespace gongdan::services {
namespace {

std::filesystem::path temp_dir() {
  auto dir = std::filesystem::temp_directory_path() /
             ("gongdan-secretbox-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(SecretBox, SealsAndOpensWithTheSameKeyFile) {
  const auto dir = temp_dir();
  auto box = SecretBox::open_or_create(dir / "mail.key");
  ASSERT_TRUE(box);
  const auto sealed = box->seal("imap-password-密码");
  EXPECT_EQ(sealed.find("imap-password"), std::string::npos);
  EXPECT_NE(box->seal("imap-password-密码"), sealed);  // a fresh nonce every time
  auto again = SecretBox::open_or_create(dir / "mail.key");
  ASSERT_TRUE(again);
  auto opened = again->open(sealed);
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, "imap-password-密码");
  struct stat st {};
  ASSERT_EQ(::stat((dir / "mail.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0077, 0u);
  std::filesystem::remove_all(dir);
}

TEST(SecretBox, RefusesOtherKeysAndDamagedInput) {
  const auto dir = temp_dir();
  auto one = SecretBox::open_or_create(dir / "one.key");
  auto two = SecretBox::open_or_create(dir / "two.key");
  ASSERT_TRUE(one && two);
  const auto sealed = one->seal("secret");
  EXPECT_FALSE(two->open(sealed));
  auto damaged = sealed;
  damaged[damaged.size() - 3] = damaged[damaged.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(one->open(damaged));
  EXPECT_FALSE(one->open("plain text"));
  EXPECT_FALSE(one->open("v1:"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gongdan::services
