#include "services/report_mail_service.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

#include "services/job_kinds.hpp"
#include "services/report_export.hpp"
#include "services/resource_load.hpp"
#include "store/database.hpp"
#include "store/users_store.hpp"
#include "util/crypto.hpp"
#include "util/iso_time.hpp"
#include "util/json_members.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

constexpr std::size_t kMaxRecipients = 50;
constexpr std::size_t kRowsInBody = 10;
constexpr std::string_view kGroupings[] = {"none",     "day",  "department", "agent",
                                           "priority", "type", "channel"};

struct MetricWords {
  std::string_view metric, en, zh;
};
constexpr MetricWords kMetricWords[] = {
    {"tickets_created", "Tickets created", "新建工单"},
    {"tickets_solved", "Tickets solved", "已解决工单"},
    {"tickets_reopened", "Tickets reopened", "重新打开的工单"},
    {"first_response_time", "First response time (average)", "首次响应时间（平均）"},
    {"resolution_time", "Resolution time (average)", "解决时间（平均）"},
    {"agent_replies", "Agent replies", "客服回复"},
    {"handle_time", "Handle time", "处理时长"},
    {"handle_time_per_solve", "Handle time per solved ticket", "每张已解决工单的处理时长"},
    {"replies_to_resolution", "Replies to resolution (average)", "解决前回复数（平均）"},
    {"one_touch_resolution", "One-touch resolution", "一次回复解决率"},
    {"kb_deflections", "Knowledge base deflections", "知识库自助解决"},
    {"backlog", "Open tickets now", "当前未解决工单"},
    {"csat", "Satisfaction (CSAT)", "满意度（CSAT）"},
    {"csat_response_rate", "Survey response rate", "满意度调查回复率"},
    {"sla_compliance", "SLA compliance", "SLA 达成率"},
    {"sla_first_response_compliance", "SLA first response", "SLA 首次响应达成率"},
    {"sla_next_response_compliance", "SLA next response", "SLA 后续响应达成率"},
    {"sla_resolution_compliance", "SLA resolution", "SLA 解决达成率"},
};

std::string metric_name(std::string_view metric, bool zh) {
  for (const auto& w : kMetricWords)
    if (w.metric == metric) return std::string(zh ? w.zh : w.en);
  return std::string(metric);
}

std::string duration_text(double ms, bool zh) {
  const auto seconds = static_cast<std::int64_t>(std::llround(ms / 1000));
  if (seconds < 60) return fmt::format(fmt::runtime(zh ? "{} 秒" : "{} s"), seconds);
  const auto minutes = (seconds + 30) / 60;
  if (minutes < 60) return fmt::format(fmt::runtime(zh ? "{} 分钟" : "{} min"), minutes);
  return fmt::format(fmt::runtime(zh ? "{} 小时 {} 分钟" : "{} h {} min"), minutes / 60,
                     minutes % 60);
}

// A row's value as the mail says it: a count, an average duration with how many it is over, a
// share with its part and whole; a dash where there is nothing to average.
std::string value_text(const Report& r, const ReportRow& row, bool zh) {
  if (r.unit == "count") return std::to_string(row.count);
  // Handle time is a total: its count is the same milliseconds.
  if (r.metric == "handle_time") return duration_text(row.value, zh);
  if (row.count == 0) return "—";
  if (r.metric == "handle_time_per_solve")
    return fmt::format(fmt::runtime(zh ? "{}（{} 次解决）" : "{} ({} solves)"),
                       duration_text(row.value, zh), row.count);
  if (r.unit == "milliseconds")
    return fmt::format(fmt::runtime(zh ? "{}（{} 个）" : "{} ({} timed)"),
                       duration_text(row.value, zh), row.count);
  if (r.unit == "average")
    return fmt::format(fmt::runtime(zh ? "{:.1f}（{} 次解决）" : "{:.1f} ({} solves)"), row.value,
                       row.count);
  return fmt::format("{:.1f}% ({} / {})", row.value * 100, row.part, row.count);
}

std::string scope_text(std::string_view scope, bool zh) {
  if (scope == "all") return zh ? "全部部门" : "every department";
  if (scope == "departments") return zh ? "您负责的部门" : "the departments you supervise";
  return zh ? "您本人的工单和回复" : "your own tickets and replies";
}

bool listed(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::vector<Bound<ReportSchedule>> schedule_fields() {
  std::vector<std::string_view> frequencies(std::begin(kReportFrequencies),
                                            std::end(kReportFrequencies));
  std::vector<std::string_view> attachments(std::begin(kReportAttachments),
                                            std::end(kReportAttachments));
  std::vector<std::string_view> groupings(std::begin(kGroupings), std::end(kGroupings));
  return {
      field_of(&ReportSchedule::id, id_field()),
      field_of(&ReportSchedule::name, name_field(100)),
      field_of(&ReportSchedule::frequency,
               choice_field("frequency", {"Frequency", "频率"}, frequencies,
                            {"daily: yesterday's numbers every day; weekly: the 7 days before "
                             "the sending day.",
                             "daily：每天发送前一天的数据；weekly：发送日之前 7 天的数据。"})),
      field_of(&ReportSchedule::weekday,
               integer_field("weekday", {"Weekday (weekly)", "星期几（每周）"},
                             {"1 Monday … 7 Sunday.", "1 为星期一 … 7 为星期日。"})
                   .range(1, 7)),
      field_of(&ReportSchedule::hour,
               integer_field("hour", {"Hour sent (local)", "发送时间（当地小时）"},
                             {"0 to 23, in the time zone below.", "0 到 23，按下面的时区。"})
                   .range(0, 23)),
      field_of(&ReportSchedule::time_zone,
               text_field("time_zone", {"Time zone", "时区"},
                          {"An IANA name, e.g. Asia/Shanghai: the days reported and the hour "
                           "sent are this zone's.",
                           "IANA 时区名，例如 Asia/Shanghai：统计的日期和发送时间都按此时区。"})
                   .range(1, 64)),
      field_of(&ReportSchedule::metrics,
               list_field("metrics", {"Metrics", "指标"},
                          {"Report metrics (docs/metrics.md), e.g. tickets_created "
                           "first_response_time csat.",
                           "报表指标（docs/metrics.md），例如 tickets_created "
                           "first_response_time csat。"})
                   .separator(' ')),
      field_of(&ReportSchedule::group_by,
               choice_field("group_by", {"Rows of the attachments", "附件的行"}, groupings,
                            {"none: the totals only.", "none：只有合计。"})),
      field_of(&ReportSchedule::attachment,
               choice_field("attachment", {"Attachment", "附件"}, attachments,
                            {"none: the numbers in the mail's text only.",
                             "none：只在邮件正文中列出数字。"})),
      field_of(
          &ReportSchedule::recipients,
          list_field("recipients", {"Recipients", "收件人"},
                     {"Staff members' email addresses. Each gets the numbers they may see "
                      "(an agent their own, a supervisor their departments', an admin all), "
                      "in their own language.",
                      "客服人员的邮箱地址。每人只收到自己有权查看的数据（客服本人、主管其部门、"
                      "管理员全部），使用各自的语言。"})
              .separator(' ')),
      unheld<ReportSchedule>(
          text_field("next_send", {"Next mail", "下次发送"}).column("-").read_only()),
      field_of(&ReportSchedule::active, active_field()),
      field_of(&ReportSchedule::created_at, time_field("created_at")),
      field_of(&ReportSchedule::updated_at, time_field("updated_at")),
  };
}

// Inside the write: the lists checked and the recipients made lower case.
Result<void> check_schedule(store::Connection& c, ReportSchedule& s) {
  GONGDAN_TRY(next_report_due(s, 0));  // the time zone
  if (s.metrics.empty())
    return fail(ErrorCode::kInvalidArgument, "name at least one metric", "metrics");
  for (const auto& m : s.metrics)
    if (!listed(report_metrics(), m))
      return fail(ErrorCode::kInvalidArgument, "no such report metric: " + m, "metrics");
  if (s.recipients.empty() || s.recipients.size() > kMaxRecipients)
    return fail(ErrorCode::kInvalidArgument, "name 1 to 50 recipients", "recipients");
  for (auto& address : s.recipients) {
    address = text::to_lower_ascii(address);
    GONGDAN_ASSIGN(auto found, store::find_user_by_email(c, address));
    if (!found || !found->user.active || !is_agent_role(found->user.role))
      return fail(ErrorCode::kInvalidArgument,
                  "not an active staff member's address: " + address +
                      " (reports go to agents, supervisors and admins only)",
                  "recipients");
  }
  std::sort(s.recipients.begin(), s.recipients.end());
  s.recipients.erase(std::unique(s.recipients.begin(), s.recipients.end()), s.recipients.end());
  return {};
}

NewJob run_job(const ReportSchedule& s, Millis due) {
  NewJob job;
  job.kind = std::string(kReportScheduleJob);
  job.run_at = due;
  job.idempotency_key = fmt::format("report-run-{}-{}-{}", s.id, s.updated_at, due);
  job.payload = boost::json::serialize(
      boost::json::object{{"schedule", s.id}, {"version", s.updated_at}, {"due", due}});
  return job;
}

Result<JsonMembers> parse_payload(std::string_view payload) {
  JsonMembers members(payload);
  if (!members.is_object()) return fail(ErrorCode::kInvalidArgument, "not a report schedule job");
  return members;
}

}  // namespace

const Resource<ReportSchedule>& report_schedule_resource() {
  static const Resource<ReportSchedule> r = declare<ReportSchedule>(
      resource_info("report-schedules", "report_schedule", {"Report mails", "报表邮件"}, "reports")
          .table("report_schedules")
          .read_by(Audience::kAdmins),
      schedule_fields());
  return r;
}

void ReportMailService::add_to(Resources& resources) {
  Hooks<ReportSchedule> hooks;
  hooks.check = [](store::Connection& c, const Principal&, ReportSchedule& s,
                   const ReportSchedule*) { return check_schedule(c, s); };
  hooks.written = [this](store::Connection& c, const ReportSchedule& s, Change) -> Result<void> {
    // Each change starts a run of its own; the run queued before it sees the new version and
    // stops there, so a schedule has one run waiting at a time.
    if (!s.active) return {};
    GONGDAN_ASSIGN(auto due, next_report_due(s, clock_.now_ms()));
    GONGDAN_TRY(jobs_.enqueue(c, run_job(s, due)));
    return {};
  };
  hooks.describe = [this](const ReportSchedule& s, boost::json::object& out) {
    auto due = s.active ? next_report_due(s, clock_.now_ms()) : Result<Millis>(0);
    out["next_send"] = due && *due ? iso_time(*due) : "";
  };
  resources.add(report_schedule_resource(), std::move(hooks));
}

Result<void> ReportMailService::run(std::string_view text) {
  GONGDAN_ASSIGN(auto payload, parse_payload(text));
  const auto id = payload.integer("schedule");
  const auto version = payload.integer("version");
  const auto due = payload.integer("due");
  if (!id || !version || !due) return fail(ErrorCode::kInvalidArgument, "not a report run");
  return db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto s, load_one(c, report_schedule_resource(), *id));
    if (!s || !s->active || s->updated_at != *version) return {};
    // A change in the same millisecond keeps the version: a run no longer at the schedule's
    // time is the old one's.
    GONGDAN_ASSIGN(const auto due_now, next_report_due(*s, *due - 1));
    if (due_now != *due) return {};
    for (const auto& to : s->recipients) {
      NewJob mail;
      mail.kind = std::string(kReportMailJob);
      mail.run_at = *due;
      mail.idempotency_key = fmt::format("report-mail-{}-{}-{}", s->id, *due, to);
      mail.payload = boost::json::serialize(
          boost::json::object{{"schedule", s->id}, {"due", *due}, {"to", to}});
      GONGDAN_TRY(jobs_.enqueue(c, mail));
    }
    // After a long stop the next run is the next one from now, not every one missed.
    GONGDAN_ASSIGN(auto next, next_report_due(*s, std::max(*due, clock_.now_ms())));
    GONGDAN_TRY(jobs_.enqueue(c, run_job(*s, next)));
    return {};
  });
}

Result<std::optional<OutgoingDelivery>> ReportMailService::prepare(std::string_view text) {
  GONGDAN_ASSIGN(auto payload, parse_payload(text));
  const auto id = payload.integer("schedule");
  const auto due = payload.integer("due");
  const auto to = payload.text("to").value_or("");
  if (!id || !due || to.empty()) return fail(ErrorCode::kInvalidArgument, "not a report mail");
  std::optional<ReportSchedule> schedule;
  std::optional<User> recipient;
  std::optional<Mailbox> mailbox;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(schedule, load_one(c, report_schedule_resource(), *id));
    if (!schedule || !schedule->active || !listed(schedule->recipients, to)) return {};
    GONGDAN_ASSIGN(auto found, store::find_user_by_email(c, to));
    if (!found || !found->user.active || !is_agent_role(found->user.role)) return {};
    recipient = found->user;
    GONGDAN_ASSIGN(mailbox, sending_mailbox(c, std::nullopt));
    return {};
  }));
  if (!recipient) return std::optional<OutgoingDelivery>{};
  if (!mailbox)
    return fail(ErrorCode::kUnavailable,
                "no mailbox for every department sends mail: report mails leave by it");
  GONGDAN_ASSIGN(auto account, mailboxes_.account(mailbox->id));
  if (!account || account->mailbox.smtp_host.empty())
    return fail(ErrorCode::kUnavailable, "the sending mailbox is gone or has no SMTP server");
  GONGDAN_ASSIGN(auto mail, compose(*schedule, *recipient, *due));
  mail.from_address = account->mailbox.address;
  const auto at = mail.from_address.rfind('@');
  mail.message_id =
      "gongdan.report." + crypto::random_token(18) + "@" +
      (at == std::string::npos ? "gongdan.invalid" : mail.from_address.substr(at + 1));
  return std::optional<OutgoingDelivery>(
      OutgoingDelivery{account->smtp_server(), std::move(mail), {}});
}

Result<OutgoingMail> ReportMailService::compose(const ReportSchedule& s, const User& to,
                                                Millis due) {
  const bool zh = to.locale.starts_with("zh");
  GONGDAN_ASSIGN(const auto dates, report_dates(s, due));
  Principal who;
  who.user = to;
  OutgoingMail mail;
  mail.to_address = to.email;
  mail.to_name = to.name;
  mail.date_ms = clock_.now_ms();
  const std::string period =
      dates.from == dates.to
          ? dates.from
          : fmt::format(fmt::runtime(zh ? "{} 至 {}" : "{} to {}"), dates.from, dates.to);
  mail.subject = zh ? fmt::format("报表「{}」：{}", s.name, period)
                    : fmt::format("Report \"{}\": {}", s.name, period);
  std::string lines;
  std::string scope;
  for (const auto& metric : s.metrics) {
    ReportRequest request;
    request.metric = metric;
    request.from = dates.from;
    request.to = dates.to;
    request.tz = s.time_zone;
    // The backlog is counted now, not per day (its rows are its age bands then); deflections
    // have no dimensions (their rows are days, or none).
    if (s.group_by != "none" && !(metric == "backlog" && s.group_by == "day") &&
        !(metric == "kb_deflections" && s.group_by != "day"))
      request.group_by = s.group_by;
    GONGDAN_ASSIGN(auto report, reports_.run(who, request));
    scope = report.scope;
    lines += fmt::format(fmt::runtime(zh ? "{}：{}\n" : "{}: {}\n"), metric_name(metric, zh),
                         value_text(report, report.total, zh));
    if (s.group_by != "none") {
      std::size_t shown = 0;
      for (const auto& row : report.rows) {
        if (shown++ == kRowsInBody) break;
        const auto label = row.label.empty() ? std::string(zh ? "（无）" : "(none)") : row.label;
        lines += fmt::format(fmt::runtime(zh ? "  {}：{}\n" : "  {}: {}\n"), label,
                             value_text(report, row, zh));
      }
    }
    const auto file = fmt::format("{}-{}-{}", metric, dates.from, dates.to);
    if (s.attachment == "csv") {
      mail.attachments.push_back({file + ".csv", "text/csv; charset=utf-8", report_csv(report)});
    } else if (s.attachment == "xlsx") {
      GONGDAN_ASSIGN(auto bytes, report_xlsx(report));
      mail.attachments.push_back({file + ".xlsx", std::string(kXlsxType), std::move(bytes)});
    }
  }
  const std::string name = to.name.empty() ? to.email : to.name;
  const std::string kind =
      s.frequency == "weekly" ? (zh ? "每周" : "Weekly") : (zh ? "每日" : "Daily");
  std::string body = zh ? fmt::format("{}，您好：\n\n{}报表「{}」，{}（{}），{}：\n\n", name, kind,
                                      s.name, period, s.time_zone, scope_text(scope, zh))
                        : fmt::format("Hello {},\n\n{} report \"{}\" for {} ({}), {}:\n\n", name,
                                      kind, s.name, period, s.time_zone, scope_text(scope, zh));
  body += lines;
  if (!mail.attachments.empty())
    body += zh ? "\n附件是每个指标的明细表。\n" : "\nThe attachments hold each metric's rows.\n";
  if (!public_url_.empty())
    body += fmt::format(fmt::runtime(zh ? "\n在服务台查看报表：{}/desk/reports\n"
                                        : "\nThe reports in the desk: {}/desk/reports\n"),
                        public_url_);
  mail.text = std::move(body);
  return mail;
}

}  // namespace gongdan::services
