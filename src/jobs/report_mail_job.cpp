// Scheduled report mails (services/report_mail_service): a schedule's run queues one mail job
// per recipient and the next run; each mail is built and sent here as mail_job sends the
// outbox's, and retried with the mail's backoff (then the dead letters) when the SMTP server
// or the sending mailbox fails.
#include <spdlog/spdlog.h>

#include "channels/email/driver/smtp_submit.hpp"
#include "channels/email/parse/mime_writer.hpp"
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"
#include "util/crypto.hpp"

namespace gongdan::jobs {
namespace {

JobResult send_report(const Job& job, services::ReportMailService& reports) {
  auto prepared = reports.prepare(job.payload);
  if (!prepared) return job_result(Result<void>(fail(prepared.error())));
  if (!*prepared) return JobResult::done();  // no longer theirs to get
  const auto& d = **prepared;
  const std::string bytes = email::build_mime(d.mail, "=_gongdan_" + crypto::random_token(12));
  auto sent = email::smtp_submit(d.server, {d.mail.from_address, d.mail.to_address, {}}, bytes,
                                 [&job] { return job.stopping && job.stopping->load(); });
  if (sent) return JobResult::done();
  spdlog::warn("report mail to {} failed (attempt {}): {}", d.mail.to_address, job.attempt,
               sent.error().message);
  return JobResult::retry(sent.error().message);
}

}  // namespace

void add_report_mail_jobs(JobRunner& runner, services::ReportMailService& reports,
                          const RetryPolicy& retry) {
  runner.handle(std::string(services::kReportScheduleJob),
                [&reports](const Job& job) { return job_result(reports.run(job.payload)); });
  runner.handle(
      std::string(services::kReportMailJob),
      [&reports](const Job& job) { return send_report(job, reports); }, retry);
}

}  // namespace gongdan::jobs
