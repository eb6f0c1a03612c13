#include "services/auth_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "migrated_database.hpp"
#include "services/users_service.hpp"

namespace gongdan::services {
namespace {

constexpr Millis kStart = 1795879845000;

class AuthServiceTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    AuthSettings settings;
    settings.free_failures_per_pair = 3;
    settings.first_delay_ms = 1000;
    settings.max_failures_per_address = 8;
    settings.failure_window_ms = 60'000;
    auth_ = std::make_unique<AuthService>(*db_, clock_, settings, cache_);
    users_ = std::make_unique<UsersService>(*db_, clock_, cache_);
    NewUser u{"Agent@Example.com",       "Agent", Role::kAgent, "zh-CN", "Asia/Shanghai",
              std::string("password123")};
    auto created = users_->create(Principal::system(), UserKind::kAgents, u);
    ASSERT_TRUE(created) << created.error().message;
    agent_ = *created;
  }
  ManualClock clock_{kStart};
  CredentialCache cache_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<UsersService> users_;
  User agent_;
};

TEST_F(AuthServiceTest, SignInIsCaseInsensitiveAndEachSignInIsANewSession) {
  auto first = auth_->login("agent@EXAMPLE.com", "password123", "10.0.0.1");
  ASSERT_TRUE(first) << first.error().message;
  auto second = auth_->login("agent@example.com", "password123", "10.0.0.1");
  ASSERT_TRUE(second);
  EXPECT_NE(first->session_token, second->session_token);
  auto who = auth_->authenticate_session(first->session_token, "10.0.0.1");
  ASSERT_TRUE(who);
  EXPECT_EQ(who->user.id, agent_.id);
  EXPECT_EQ(who->csrf_token, first->csrf_token);
}

TEST_F(AuthServiceTest, WrongPasswordAndUnknownEmailLookTheSame) {
  auto wrong = auth_->login("agent@example.com", "nope-nope", "10.0.0.1");
  auto unknown = auth_->login("ghost@example.com", "nope-nope", "10.0.0.1");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
}

// Issue 16: five wrong passwords used to lock the account for everyone for 15 minutes.
TEST_F(AuthServiceTest, ThrottleSlowsTheGuessingAddressWithGrowingWaitsAndLocksNobodyOut) {
  const std::string guesser = "10.0.0.2";
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(auth_->login("agent@example.com", "bad", guesser));
  Millis expected_wait = 1000;
  for (int round = 0; round < 3; ++round) {
    auto held = auth_->login("agent@example.com", "password123", guesser);
    ASSERT_FALSE(held);
    EXPECT_EQ(held.error().code, ErrorCode::kRateLimited);
    EXPECT_EQ(held.error().retry_after_seconds, expected_wait / 1000);
    // The owner, from their own address, is never held up.
    EXPECT_TRUE(auth_->login("agent@example.com", "password123", "10.0.0.3"));
    clock_.advance(expected_wait);
    auto wrong = auth_->login("agent@example.com", "bad", guesser);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
    expected_wait *= 2;
  }
  clock_.advance(expected_wait);
  EXPECT_TRUE(auth_->login("agent@example.com", "password123", guesser));
  // A success forgets that address's failures: no wait for its next mistake.
  EXPECT_EQ(auth_->login("agent@example.com", "bad", guesser).error().code,
            ErrorCode::kUnauthenticated);
  EXPECT_TRUE(auth_->login("agent@example.com", "password123", guesser));
}

TEST_F(AuthServiceTest, AddressThrottleCoversManyAccounts) {
  for (int i = 0; i < 8; ++i)
    EXPECT_FALSE(auth_->login("user" + std::to_string(i) + "@example.com", "bad", "10.9.9.9"));
  auto blocked = auth_->login("agent@example.com", "password123", "10.9.9.9");
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, ErrorCode::kRateLimited);
  EXPECT_TRUE(auth_->login("agent@example.com", "password123", "10.0.0.4"));
}

TEST_F(AuthServiceTest, LogoutAndPasswordChangeEndSessions) {
  auto a = *auth_->login("agent@example.com", "password123", "ip");
  auto b = *auth_->login("agent@example.com", "password123", "ip");
  auto who_a = *auth_->authenticate_session(a.session_token, "ip");
  ASSERT_TRUE(auth_->logout(who_a));
  EXPECT_FALSE(auth_->authenticate_session(a.session_token, "ip"));
  auto who_b = *auth_->authenticate_session(b.session_token, "ip");
  EXPECT_FALSE(auth_->change_password(who_b, "wrong-current", "newpassword1"));
  auto changed = auth_->change_password(who_b, "password123", "newpassword1");
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_FALSE(auth_->authenticate_session(b.session_token, "ip"));
  EXPECT_TRUE(auth_->authenticate_session(changed->session_token, "ip"));
  EXPECT_FALSE(auth_->login("agent@example.com", "password123", "ip"));
  EXPECT_TRUE(auth_->login("agent@example.com", "newpassword1", "ip"));
}

TEST_F(AuthServiceTest, SessionsExpire) {
  auto s = *auth_->login("agent@example.com", "password123", "ip");
  clock_.advance(AuthSettings{}.session_lifetime_ms + 1);
  EXPECT_FALSE(auth_->authenticate_session(s.session_token, "ip"));
}

TEST_F(AuthServiceTest, TokensCarryScopesAndStopWorkingWhenRevokedOrDeactivated) {
  auto admin = Principal::system();
  auto read_only = auth_->create_token(admin, agent_.id, "ro", {"read"});
  ASSERT_TRUE(read_only);
  EXPECT_EQ(read_only->token.size(), 43u);
  auto who = auth_->authenticate_bearer(read_only->token, "ip");
  ASSERT_TRUE(who);
  EXPECT_TRUE(who->can_read);
  EXPECT_FALSE(who->can_write);
  EXPECT_FALSE(auth_->create_token(admin, agent_.id, "x", {"delete"}));
  ASSERT_TRUE(auth_->revoke_token(*who, read_only->row.id));
  EXPECT_FALSE(auth_->authenticate_bearer(read_only->token, "ip"));

  auto full = *auth_->create_token(admin, agent_.id, "rw", {});
  ASSERT_TRUE(auth_->authenticate_bearer(full.token, "ip"));
  UserChanges off;
  off.active = false;
  Principal root = Principal::system();
  ASSERT_TRUE(users_->update(root, UserKind::kAgents, agent_.id, off));
  EXPECT_FALSE(auth_->authenticate_bearer(full.token, "ip"));
  EXPECT_FALSE(auth_->login("agent@example.com", "password123", "ip"));
}

TEST_F(AuthServiceTest, UsersAreValidated) {
  auto root = Principal::system();
  auto bad_zone = users_->create(root, UserKind::kAgents,
                                 {"x@example.com", "", Role::kAgent, "en", "Mars/Olympus", {}});
  ASSERT_FALSE(bad_zone);
  EXPECT_EQ(bad_zone.error().field, "time_zone");
  auto bad_locale =
      users_->create(root, UserKind::kAgents, {"x@example.com", "", Role::kAgent, "fr", "UTC", {}});
  EXPECT_EQ(bad_locale.error().field, "locale");
  auto duplicate = users_->create(root, UserKind::kAgents,
                                  {"AGENT@example.com", "", Role::kAgent, "en", "UTC", {}});
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
  auto customer_as_agent = users_->create(root, UserKind::kAgents,
                                          {"c@example.com", "", Role::kCustomer, "en", "UTC", {}});
  EXPECT_EQ(customer_as_agent.error().field, "role");
  // An agent reads the colleagues a ticket may be assigned to; a customer reads nobody.
  Principal agent;
  agent.user = agent_;
  auto colleagues = users_->list(agent, UserKind::kAgents, 0, 10);
  ASSERT_TRUE(colleagues);
  for (const auto& u : colleagues->items) EXPECT_TRUE(can_be_assignee(u)) << u.email;
  Principal customer;
  customer.user.role = Role::kCustomer;
  auto denied = users_->list(customer, UserKind::kAgents, 0, 10);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
}

}  // namespace
}  // namespace gongdan::services
