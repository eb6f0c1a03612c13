#include "channels/email/filter/ticket_token.hpp"

#include <gtest/gtest.h>

namespace gongdan::email {
namespace {

TEST(TicketToken, FindsDefaultToken) {
  EXPECT_EQ(find_ticket_token("Re: [#1234] Printer broken"), 1234);
  EXPECT_EQ(find_ticket_token("自动回复:[#100236] 关于发票的问题"), 100236);
  EXPECT_EQ(find_ticket_token("RE: 答复: 【#42】 打印机"), 42);
  EXPECT_EQ(find_ticket_token("［#7］ full-width"), 7);
}

TEST(TicketToken, NeverMatchesSubjectTextAlone) {
  EXPECT_FALSE(find_ticket_token("Printer broken"));
  EXPECT_FALSE(find_ticket_token("Order #1234 shipped"));
  EXPECT_FALSE(find_ticket_token("[1234]"));
  EXPECT_FALSE(find_ticket_token("[#]"));
  EXPECT_FALSE(find_ticket_token("[#12a]"));
  EXPECT_FALSE(find_ticket_token("[#0]"));
  EXPECT_FALSE(find_ticket_token("[#99999999999999999999]"));  // overflow is not a ticket
}

TEST(TicketToken, ConfigurablePrefix) {
  EXPECT_EQ(find_ticket_token("Re: [GD#55] x", "GD#"), 55);
  EXPECT_EQ(find_ticket_token("Re: [gd#55] x", "GD#"), 55);
  EXPECT_FALSE(find_ticket_token("Re: [#55] x", "GD#"));
  EXPECT_EQ(find_ticket_token("[Ticket#2024001]", "Ticket#"), 2024001);
}

TEST(TicketToken, FirstTokenWins) {
  EXPECT_EQ(find_ticket_token("[#1] merged into [#2]"), 1);
  EXPECT_EQ(find_ticket_token("[#x] then [#9]"), 9);
}

TEST(TicketToken, FormatRoundTrips) {
  EXPECT_EQ(format_ticket_token(1234), "[#1234]");
  EXPECT_EQ(find_ticket_token("Re: " + format_ticket_token(77, "GD-") + " hi", "GD-"), 77);
}

}  // namespace
}  // namespace gongdan::email
