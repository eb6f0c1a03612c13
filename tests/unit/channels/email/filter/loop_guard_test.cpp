#include "channels/email/filter/loop_guard.hpp"

#include <gtest/gtest.h>

namespace gongdan::email {
namespace {

ParsedMessage ordinary() {
  ParsedMessage m;
  m.from = Address{"Zhang Wei", "zhang.wei@example.cn"};
  m.subject = "打印机无法连接";
  return m;
}

TEST(LoopGuard, OrdinaryMailMayBeAnswered) {
  LoopVerdict verdict = classify_loop(ordinary());
  EXPECT_TRUE(verdict.may_open_ticket());
  EXPECT_TRUE(verdict.may_auto_reply());
  EXPECT_TRUE(verdict.reason.empty());
}

TEST(LoopGuard, AutoSubmitted) {
  auto m = ordinary();
  m.loop.auto_submitted = "no";
  EXPECT_TRUE(classify_loop(m).may_auto_reply());
  m.loop.auto_submitted = "auto-replied";
  EXPECT_TRUE(classify_loop(m).auto_reply);
  m.loop.auto_submitted = "Auto-Generated (warning-timeout)";
  EXPECT_FALSE(classify_loop(m).may_open_ticket());
}

TEST(LoopGuard, AutoreplyHeaders) {
  auto m = ordinary();
  m.loop.x_autoreply = "yes";
  EXPECT_TRUE(classify_loop(m).auto_reply);
  m = ordinary();
  m.loop.x_auto_response_suppress = "All";
  EXPECT_TRUE(classify_loop(m).auto_reply);
  m = ordinary();
  m.loop.vendor_autoreply.push_back("X-QQ-AUTO-REPLY: true");
  EXPECT_TRUE(classify_loop(m).auto_reply);
}

TEST(LoopGuard, VacationSubjects) {
  for (const char* subject :
       {"自动回复: 关于发票", "自动答复：打印机", "Out of Office: back Monday",
        "Automatic reply: x", "Auto: away", "AutoReply: holiday", "Re: 自动回复: x"}) {
    auto m = ordinary();
    m.subject = subject;
    EXPECT_TRUE(classify_loop(m).auto_reply) << subject;
  }
  auto m = ordinary();
  m.subject = "Automobile repair question";
  EXPECT_FALSE(classify_loop(m).auto_reply);
}

TEST(LoopGuard, Bounces) {
  auto m = ordinary();
  m.return_path = "";
  EXPECT_TRUE(classify_loop(m).bounce);
  m = ordinary();
  m.from = Address{"", "MAILER-DAEMON@example.com"};
  EXPECT_TRUE(classify_loop(m).bounce);
  m = ordinary();
  m.from = Address{"", "postmaster@163.com"};
  EXPECT_TRUE(classify_loop(m).bounce);
  m = ordinary();
  m.subject = "系统退信";
  EXPECT_TRUE(classify_loop(m).bounce);
  m = ordinary();
  m.is_delivery_report = true;
  m.delivery.action = "failed";
  m.delivery.status = "5.1.1";
  LoopVerdict verdict = classify_loop(m);
  EXPECT_TRUE(verdict.hard_bounce);
  EXPECT_FALSE(verdict.may_open_ticket());
}

TEST(LoopGuard, ReadReceiptIsAutomaticNotBounce) {
  auto m = ordinary();
  m.is_delivery_report = true;
  LoopVerdict verdict = classify_loop(m);
  EXPECT_FALSE(verdict.bounce);
  EXPECT_TRUE(verdict.auto_reply);
}

TEST(LoopGuard, ListsMayOpenTicketsButGetNoAutoReply) {
  for (const char* precedence : {"bulk", "junk", "list", "Bulk"}) {
    auto m = ordinary();
    m.loop.precedence = precedence;
    LoopVerdict verdict = classify_loop(m);
    EXPECT_TRUE(verdict.list) << precedence;
    EXPECT_TRUE(verdict.may_open_ticket());
    EXPECT_FALSE(verdict.may_auto_reply());
  }
  auto m = ordinary();
  m.loop.list_id = "<ltp.lists.linux.it>";
  EXPECT_TRUE(classify_loop(m).list);
}

TEST(LoopGuard, NoSenderNoAutoReply) {
  auto m = ordinary();
  m.from.reset();
  EXPECT_FALSE(classify_loop(m).may_auto_reply());
  EXPECT_TRUE(classify_loop(m).may_open_ticket());
}

}  // namespace
}  // namespace gongdan::email
