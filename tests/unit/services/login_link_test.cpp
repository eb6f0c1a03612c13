// Sign-in links: single use, short-lived, only for active customers, only when mail can go out,
// limited per account and per address, and only the token's digest is stored.
#include <gtest/gtest.h>

#include <filesystem>

#include "migrated_database.hpp"
#include "services/auth_service.hpp"
#include "services/users_service.hpp"
#include "util/crypto.hpp"

namespace gongdan::services {
namespace {

constexpr Millis kLinkStart = 1795879845000;

class LoginLinkTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    auth_ = std::make_unique<AuthService>(*db_, clock_, AuthSettings{}, cache_);
    users_ = std::make_unique<UsersService>(*db_, clock_, cache_);
    customer_ = make(UserKind::kCustomers, "Pat@Example.com", Role::kCustomer);
    agent_ = make(UserKind::kAgents, "agent@example.com", Role::kAgent);
  }
  User make(UserKind kind, const std::string& email, Role role) {
    NewUser u{email, "Someone", role, "en", "UTC", std::string("password123")};
    auto created = users_->create(Principal::system(), kind, u);
    EXPECT_TRUE(created) << created.error().message;
    return created ? *created : User{};
  }

  void add_mailbox() {
    auto done = db_->write([&](store::Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(auto q, store::query(c,
                                          "INSERT INTO mailboxes (address, smtp_host, created_at, "
                                          "updated_at) VALUES ('help@example.com', 'smtp.test', "
                                          "?, ?)"));
      return q.bind(kLinkStart, kLinkStart).run();
    });
    ASSERT_TRUE(done) << done.error().message;
  }

  ManualClock clock_{kLinkStart};
  CredentialCache cache_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<UsersService> users_;
  User customer_;
  User agent_;
};

TEST_F(LoginLinkTest, NeedsAMailboxThatCanSend) {
  auto link = auth_->issue_login_link("pat@example.com", "10.0.0.1");
  ASSERT_FALSE(link);
  EXPECT_EQ(link.error().code, ErrorCode::kUnavailable);
}

TEST_F(LoginLinkTest, SignsInOnceAndStoresOnlyTheDigest) {
  add_mailbox();
  auto link = auth_->issue_login_link("PAT@example.com", "10.0.0.1");
  ASSERT_TRUE(link) << link.error().message;
  ASSERT_TRUE(link->has_value());
  EXPECT_EQ((*link)->user.id, customer_.id);
  EXPECT_GE((*link)->token.size(), 40u);
  std::string stored;
  ASSERT_TRUE(db_->read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto q, store::query(c, "SELECT token_hash FROM login_links"));
    GONGDAN_ASSIGN(bool row, q.next());
    if (row) stored = q.text(0);
    return {};
  }));
  EXPECT_EQ(stored, crypto::sha256_hex((*link)->token));

  auto first = auth_->redeem_login_link((*link)->token, "10.0.0.2");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->user.id, customer_.id);
  EXPECT_TRUE(auth_->authenticate_session(first->session_token, "10.0.0.2"));
  auto again = auth_->redeem_login_link((*link)->token, "10.0.0.2");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kUnauthenticated);
  EXPECT_FALSE(auth_->redeem_login_link("not-a-token", "10.0.0.2"));
}

TEST_F(LoginLinkTest, ExpiresAfterFifteenMinutes) {
  add_mailbox();
  auto link = auth_->issue_login_link("pat@example.com", "10.0.0.1");
  ASSERT_TRUE(link && link->has_value());
  clock_.advance(15 * 60 * 1000);
  auto late = auth_->redeem_login_link((*link)->token, "10.0.0.1");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(LoginLinkTest, NothingForUnknownAgentsOrDeactivatedCustomers) {
  add_mailbox();
  auto unknown = auth_->issue_login_link("nobody@example.com", "10.0.0.1");
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(unknown->has_value());
  auto agent = auth_->issue_login_link("agent@example.com", "10.0.0.1");
  ASSERT_TRUE(agent);
  EXPECT_FALSE(agent->has_value());
  // A link issued before deactivation no longer works after it.
  auto link = auth_->issue_login_link("pat@example.com", "10.0.0.1");
  ASSERT_TRUE(link && link->has_value());
  UserChanges off;
  off.active = false;
  ASSERT_TRUE(users_->update(Principal::system(), UserKind::kCustomers, customer_.id, off));
  EXPECT_FALSE(auth_->redeem_login_link((*link)->token, "10.0.0.1"));
  auto inactive = auth_->issue_login_link("pat@example.com", "10.0.0.1");
  ASSERT_TRUE(inactive);
  EXPECT_FALSE(inactive->has_value());
}

TEST_F(LoginLinkTest, LimitedPerAccountQuietlyAndPerAddressLoudly) {
  add_mailbox();
  for (int i = 0; i < 3; ++i) {
    auto link = auth_->issue_login_link("pat@example.com", "10.0.0." + std::to_string(i));
    ASSERT_TRUE(link && link->has_value()) << i;
  }
  auto fourth = auth_->issue_login_link("pat@example.com", "10.0.0.9");
  ASSERT_TRUE(fourth);
  EXPECT_FALSE(fourth->has_value());
  clock_.advance(15 * 60 * 1000 + 1);
  auto later = auth_->issue_login_link("pat@example.com", "10.0.0.9");
  ASSERT_TRUE(later && later->has_value());

  for (int i = 0; i < 10; ++i) {
    auto email = "c" + std::to_string(i) + "@example.com";
    make(UserKind::kCustomers, email, Role::kCustomer);
    auto link = auth_->issue_login_link(email, "10.9.9.9");
    ASSERT_TRUE(link && link->has_value()) << i;
  }
  auto over = auth_->issue_login_link("pat@example.com", "10.9.9.9");
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kRateLimited);
}

}  // namespace
}  // namespace gongdan::services
