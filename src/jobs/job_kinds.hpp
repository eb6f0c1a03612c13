// The job kinds the server runs, one file each in this folder, and the one call that registers
// them all with a runner. A kind's file holds its handler: it reads its payload, asks a service
// to do the work (or, for mail and webhooks, to say what to send and to record how it went) and
// tells the runner whether to finish, retry or dead-letter the job.
//
// How to add a kind: name it in services/job_kinds.hpp, enqueue it from the service that decides
// the work (inside that command's write), write jobs/<kind>_job.cpp with an add_<kind>_job
// function, and call it from add_job_kinds.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "channels/webhooks/webhook_sender.hpp"
#include "domain/retry_backoff.hpp"
#include "jobs/job_runner.hpp"
#include "services/assignment_service.hpp"
#include "services/assist_service.hpp"
#include "services/automations_service.hpp"
#include "services/csat_service.hpp"
#include "services/inbound_service.hpp"
#include "services/kb_service.hpp"
#include "services/ldap_service.hpp"
#include "services/outbox_service.hpp"
#include "services/report_folding.hpp"
#include "services/report_mail_service.hpp"
#include "services/retention_service.hpp"
#include "services/sla_service.hpp"
#include "services/triage_service.hpp"
#include "services/webhook_deliveries.hpp"

namespace gongdan::jobs {

// What the kinds' handlers need; owned by the server, alive while the runner runs.
struct JobServices {
  services::OutboxService& outbox;
  services::WebhookDeliveries& webhooks;
  services::SlaService& sla;
  services::AssignmentService& assignment;
  services::AutomationsService& automations;
  services::InboundService& inbound;
  services::LdapService& ldap;
  services::CsatService& csat;
  const Clock& clock;
  services::TriageService* triage = nullptr;  // null: no triage jobs (tests without it)
  services::KbService* kb = nullptr;          // null: no scheduled publishing (tests without it)
  services::RetentionService* retention = nullptr;     // null: no retention runs
  services::AssistService* assist = nullptr;           // null: the request log is not pruned
  services::ReportMailService* report_mail = nullptr;  // null: no scheduled report mails
  services::ReportFolding* report_folding = nullptr;   // null: report days are not folded
};

struct JobKindOptions {
  RetryPolicy mail_retry;  // mail_retry_base_ms and mail_max_attempts; doubling up to an hour
  channels::WebhookSenderOptions webhooks;
};

void add_mail_job(JobRunner& runner, services::OutboxService& outbox, const RetryPolicy& retry);
void add_webhook_job(JobRunner& runner, services::WebhookDeliveries& webhooks,
                     channels::WebhookSenderOptions options, const Clock& clock);
void add_sla_jobs(JobRunner& runner, services::SlaService& sla);
void add_assignment_job(JobRunner& runner, services::AssignmentService& assignment);
void add_automation_jobs(JobRunner& runner, services::AutomationsService& automations);
// Replies back through inbound sources: posted like webhooks, retried like mail.
void add_im_reply_job(JobRunner& runner, services::InboundService& inbound,
                      channels::WebhookSenderOptions options, const RetryPolicy& retry);
// WeCom customer service's message pulls, retried like mail.
void add_im_sync_job(JobRunner& runner, services::InboundService& inbound,
                     channels::WebhookSenderOptions options, const RetryPolicy& retry);
// Files inbound messages carried, fetched from the provider and attached; retried like mail.
void add_im_file_job(JobRunner& runner, services::InboundService& inbound,
                     channels::WebhookSenderOptions options, const RetryPolicy& retry);
// The files of replies back through inbound sources: uploaded and sent, retried like mail.
void add_im_reply_file_job(JobRunner& runner, services::InboundService& inbound,
                           channels::WebhookSenderOptions options, const RetryPolicy& retry);
void add_csat_job(JobRunner& runner, services::CsatService& csat);
void add_kb_publish_job(JobRunner& runner, services::KbService& kb);
// Retention policies' daily runs, a batch a job.
void add_retention_job(JobRunner& runner, services::RetentionService& retention);
// The drafts-and-summaries request log's daily pruning.
void add_assist_log_job(JobRunner& runner, services::AssistService& assist);
// Report rollups' days and months, folded once a day.
void add_report_fold_job(JobRunner& runner, services::ReportFolding& folding);
// Scheduled report mails: the runs, and each recipient's mail, retried like mail.
void add_report_mail_jobs(JobRunner& runner, services::ReportMailService& reports,
                          const RetryPolicy& retry);

void add_triage_jobs(JobRunner& runner, services::TriageService& triage);
// Each LDAP directory's sync, every sync_minutes.
void add_ldap_sync_job(JobRunner& runner, services::LdapService& ldap);

// Every kind above.
void add_job_kinds(JobRunner& runner, const JobServices& services, const JobKindOptions& options);

// A service's answer as a job's outcome: bad payloads go to the dead letters at once (no retry
// can fix them); any other failure is retried.
JobResult job_result(const Result<void>& done);
// The outcome of a failure, as job_result sees it.
JobResult job_failure(const Error& e);

// The handler of a kind that reaches an inbound source's provider (WeCom pulls, files of
// messages, files of replies): `work` with the inbound service and the sender's options.
using InboundWork = JobResult (*)(const Job& job, services::InboundService& inbound,
                                  const channels::WebhookSenderOptions& options);
void handle_inbound_job(JobRunner& runner, std::string_view kind, InboundWork work,
                        services::InboundService& inbound, channels::WebhookSenderOptions options,
                        const RetryPolicy& retry);

// The handler of a kind whose payload names one row by its integer member `key` and whose work
// is one service call on that row; a payload without it is dead at once ("the job's payload
// names no <what>").
void handle_row_job(JobRunner& runner, std::string_view kind, std::string_view key,
                    std::string_view what, std::function<Result<void>(std::int64_t)> work);

// A job's payload as a JSON object; nullopt when it is not JSON or not an object.
std::optional<boost::json::object> payload_object(std::string_view payload);

// The integer member `key` of a job's JSON payload (the row a job is about); nullopt when the
// payload is not a JSON object with that member as an integer.
std::optional<std::int64_t> payload_int(std::string_view payload, std::string_view key);

}  // namespace gongdan::jobs
