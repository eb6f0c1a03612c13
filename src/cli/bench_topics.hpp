// The topics `gongdan bench-data` writes tickets about, each with its subject and first message
// in Chinese and English: the labels issue 22's figures are measured on (bench/assist.sh). Shared
// by bench-data, which writes them, and `gongdan triage similar`, which reads a ticket's topic
// back from its subject.
#pragma once

#include <cstddef>
#include <iterator>
#include <optional>
#include <string_view>

#include "domain/ticket.hpp"

namespace gongdan::cli {

// What a ticket is about: its subject and first message in either language, and the fields
// a help desk would have given it. The generated tickets carry these as their labels (issue 22's
// triage is measured on them): a topic's tickets go to its department (one in twelve elsewhere,
// as people misfile), mostly with its type, priority and tag.
struct Topic {
  const char* subject_zh;
  const char* subject_en;
  const char* body_zh;
  const char* body_en;
  TicketType type;
  Priority priority;
  const char* tag;
};
inline constexpr Topic kTopics[] = {
    {"打印机无法连接", "Printer offline on floor 3",
     "您好，办公室的打印机从今天早上开始无法连接，重启之后还是不行，麻烦尽快处理。",
     "Hello, the printer on the third floor has been offline since this morning. Restarting it "
     "did not help and the queue keeps growing.",
     TicketType::kIncident, Priority::kNormal, "printer"},
    {"VPN 连接失败", "Cannot connect to VPN",
     "我们公司的 VPN 在家里连接时总是提示认证失败，账号密码都确认过是正确的。",
     "When I connect to the VPN from home I get an authentication error, although my password "
     "works everywhere else.",
     TicketType::kIncident, Priority::kHigh, "vpn"},
    {"发票抬头需要修改", "Invoice address is wrong",
     "上个月的发票抬头写错了，需要重新开具，请问需要提供哪些资料？",
     "Our last invoice shows the wrong billing address. Could you issue a corrected invoice?",
     TicketType::kTask, Priority::kLow, "发票"},
    {"退款申请", "Refund request for order",
     "收到了退款申请的回复，但是金额和订单不一致，请再核对一下。",
     "I returned the order last week and would like a refund to my original card.",
     TicketType::kQuestion, Priority::kNormal, "refund"},
    {"空调不制冷", "Air conditioning broken",
     "会议室的空调不制冷，温度设置到十八度还是很热，影响下午的会议。",
     "The air conditioning in meeting room B blows warm air; the afternoon meeting is there.",
     TicketType::kIncident, Priority::kNormal, "hardware"},
    {"电梯故障报修", "Lift stuck between floors",
     "东区二号电梯停在五楼和六楼之间，门打不开，请马上派人处理。",
     "Lift two in the east wing stopped between floors five and six and the doors do not open.",
     TicketType::kIncident, Priority::kUrgent, "urgent"},
    {"账号被锁定", "Password reset not working",
     "我的账号输错几次密码后被锁定了，重置密码的邮件一直收不到。",
     "The password reset link says it has expired every time I click it, even right away.",
     TicketType::kProblem, Priority::kHigh, "account"},
    {"邮箱收不到邮件", "Email bounces back",
     "从昨天开始邮箱收不到外部发来的邮件，发件人说被退回了。",
     "Mail from our customers bounces back with a mailbox unavailable error since yesterday.",
     TicketType::kProblem, Priority::kHigh, "network"},
    {"订单一直未发货", "Shipment delayed",
     "订单已经付款三天了还没有发货，物流信息一直没有更新，请帮忙查一下。",
     "The order was paid three days ago and tracking has not updated since. Please check with the "
     "carrier.",
     TicketType::kQuestion, Priority::kNormal, "shipping"},
    {"系统登录很慢", "Cannot log in to portal",
     "登录系统要等一分多钟，页面一直转圈，其他同事也一样。",
     "The portal keeps loading after I enter my password and then times out.", TicketType::kProblem,
     Priority::kNormal, "account"},
    {"快递地址修改", "Change delivery address",
     "下单时快递地址填错了，还没发货的话请帮我改成新的地址。",
     "I entered the wrong delivery address on my order; please change it before it ships.",
     TicketType::kTask, Priority::kNormal, "shipping"},
    {"会员积分没有到账", "Billing charged twice",
     "上周消费的会员积分到现在还没有到账，请帮忙查询。",
     "I was charged twice for the annual subscription, please refund the duplicate payment.",
     TicketType::kQuestion, Priority::kNormal, "billing"},
    {"笔记本电脑蓝屏", "Laptop screen flickers",
     "电脑开机后蓝屏，错误代码是 IRQL_NOT_LESS_OR_EQUAL，数据很重要。",
     "My laptop screen flickers when it runs on battery. Drivers are up to date.",
     TicketType::kIncident, Priority::kHigh, "hardware"},
    {"办公室网络中断", "Wi-Fi drops every hour",
     "三楼办公室的网络每隔一会儿就断一次，视频会议经常掉线。",
     "The office Wi-Fi drops every hour for a few minutes and video calls disconnect.",
     TicketType::kIncident, Priority::kHigh, "network"},
    {"合同续签咨询", "Upgrade subscription plan",
     "我们的服务合同下个月到期，想了解续签的价格和流程。",
     "We would like to move to the business plan; what changes on our next invoice?",
     TicketType::kQuestion, Priority::kLow, "vip"},
    {"门禁卡失效", "Request for new monitor",
     "门禁卡昨天还能用，今天刷卡没有反应，前台说需要找工单处理。",
     "Could I get a second monitor for my desk? My manager has approved it.", TicketType::kTask,
     Priority::kLow, "售后"}};
// Each topic as a requester might put it in other words (Chinese, English; each about that
// language's subject), written by hand and never generated: `gongdan triage similar --query
// paraphrase` asks with these, a test the templated subjects and messages cannot make easy.
inline constexpr const char* kParaphrases[][2] = {
    {"三楼那台打印机连不上了，文件一直在队列里打不出来",
     "Nothing prints on the third floor, the printer shows as disconnected"},
    {"在家用 VPN 登不上公司内网，一直说认证不通过",
     "VPN login from home keeps failing with an authentication error"},
    {"发票上的公司名称开错了，能不能重新开一张",
     "The billing address printed on our invoice is incorrect, please correct it"},
    {"退货以后钱还没退回来，想申请退款",
     "I sent the order back and want my money returned to my card"},
    {"会议室空调吹出来的都是热风，一点都不凉快", "The AC in the meeting room only blows warm air"},
    {"电梯卡在两层中间，门开不了，里面有人",
     "The elevator in the east wing is stuck and the doors won't open"},
    {"密码输错几次账号就被锁了，也收不到重置邮件",
     "The reset link for my password expires immediately"},
    {"外面发给我们的邮件都被退信了，邮箱收不到",
     "Customers say their mail to us is returned as undeliverable"},
    {"付款好几天了订单还没发出，物流也不更新",
     "My parcel has not shipped and the tracking number shows no progress"},
    {"登录系统特别慢，页面转半天进不去",
     "After entering my password the portal spins and never lets me in"},
    {"收货地址填错了，麻烦在发货前帮我改一下",
     "Please update the shipping address on my order, I typed it wrong"},
    {"消费后的会员积分一直没到账，帮我查一下",
     "My card shows two payments for the same subscription"},
    {"电脑一开机就蓝屏，显示错误代码，里面有重要数据",
     "The display of my laptop keeps flickering when unplugged"},
    {"办公室的网老是断，视频会议一会儿就掉线",
     "Our wireless connection cuts out regularly and calls disconnect"},
    {"服务合同快到期了，想问一下续签需要多少钱",
     "We want to upgrade to the business plan, how will our invoice change"},
    {"我的门禁卡突然刷不开门了，前台让我提工单",
     "Could I have an extra screen for my desk? My manager approved"}};
static_assert(std::size(kParaphrases) == std::size(kTopics));

// The topic a generated ticket's subject ("打印机无法连接 #123") is about, in either language.
inline std::optional<std::size_t> topic_of_subject(std::string_view subject) {
  const auto cut = subject.rfind(" #");
  if (cut != std::string_view::npos) subject = subject.substr(0, cut);
  for (std::size_t i = 0; i < std::size(kTopics); ++i)
    if (subject == kTopics[i].subject_zh || subject == kTopics[i].subject_en) return i;
  return std::nullopt;
}

}  // namespace gongdan::cli
