#include "jobs/job_kinds.hpp"

#include <boost/json.hpp>

namespace gongdan::jobs {

std::optional<boost::json::object> payload_object(std::string_view payload) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(payload, ec);
  if (ec || !parsed.is_object()) return std::nullopt;
  return std::move(parsed.as_object());
}

std::optional<std::int64_t> payload_int(std::string_view payload, std::string_view key) {
  const auto o = payload_object(payload);
  const auto* value = o ? o->if_contains(key) : nullptr;
  if (!value || !value->is_int64()) return std::nullopt;
  return value->get_int64();
}

JobResult job_result(const Result<void>& done) {
  return done ? JobResult::done() : job_failure(done.error());
}

JobResult job_failure(const Error& e) {
  if (e.code == ErrorCode::kInvalidArgument) return JobResult::dead(e.message);
  return JobResult::retry(e.message);
}

void handle_inbound_job(JobRunner& runner, std::string_view kind, InboundWork work,
                        services::InboundService& inbound, channels::WebhookSenderOptions options,
                        const RetryPolicy& retry) {
  runner.handle(
      std::string(kind),
      [work, &inbound, options = std::move(options)](const Job& job) {
        return work(job, inbound, options);
      },
      retry);
}

void handle_row_job(JobRunner& runner, std::string_view kind, std::string_view key,
                    std::string_view what, std::function<Result<void>(std::int64_t)> work) {
  runner.handle(std::string(kind), [key, what, work = std::move(work)](const Job& job) {
    const auto id = payload_int(job.payload, key);
    if (!id) return JobResult::dead("the job's payload names no " + std::string(what));
    return job_result(work(*id));
  });
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
