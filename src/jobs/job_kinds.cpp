#include "jobs/job_kinds.hpp"

#include <boost/json.hpp>

namespace gongdan::jobs {

std::optional<std::int64_t> payload_int(std::string_view payload, std::string_view key) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(payload, ec);
  const auto* o = ec ? nullptr : parsed.if_object();
  const auto* value = o ? o->if_contains(key) : nullptr;
  if (!value || !value->is_int64()) return std::nullopt;
  return value->get_int64();
}

JobResult job_result(const Result<void>& done) {
  if (done) return JobResult::done();
  if (done.error().code == ErrorCode::kInvalidArgument)
    return JobResult::dead(done.error().message);
  return JobResult::retry(done.error().message);
}

void add_job_kinds(JobRunner& runner, const JobServices& services, const JobKindOptions& options) {
  add_mail_job(runner, services.outbox, options.mail_retry);
  add_webhook_job(runner, services.webhooks, options.webhooks, services.clock);
  add_sla_jobs(runner, services.sla);
  add_assignment_job(runner, services.assignment);
  add_automation_jobs(runner, services.automations);
  add_im_reply_job(runner, services.inbound, options.webhooks, options.mail_retry);
  add_im_sync_job(runner, services.inbound, options.webhooks, options.mail_retry);
  add_im_file_job(runner, services.inbound, options.webhooks, options.mail_retry);
  add_im_reply_file_job(runner, services.inbound, options.webhooks, options.mail_retry);
  if (services.triage) add_triage_jobs(runner, *services.triage);
  add_ldap_sync_job(runner, services.ldap);
  add_csat_job(runner, services.csat);
  if (services.kb) add_kb_publish_job(runner, *services.kb);
  if (services.retention) add_retention_job(runner, *services.retention);
  if (services.assist) add_assist_log_job(runner, *services.assist);
  if (services.report_mail) add_report_mail_jobs(runner, *services.report_mail, options.mail_retry);
  if (services.report_folding) add_report_fold_job(runner, *services.report_folding);
}

}  // namespace gongdan::jobs
