// Every kind of durable job (table jobs): the name a service enqueues work under, and the file of
// src/jobs/ that runs it. Names are stored with the queued jobs: never rename one, add a new kind.
#pragma once

#include <string_view>

namespace gongdan::services {

// One outbound mail (outbox_service): jobs/mail_job.
inline constexpr std::string_view kMailJob = "mail";
// One webhook delivery (webhooks_service): jobs/webhook_job.
inline constexpr std::string_view kWebhookJob = "webhook";
// One SLA timer (sla_service): jobs/sla_jobs.
inline constexpr std::string_view kSlaTimerJob = "sla_timer";
// The first timers of the tickets one batch wrote, due within a second of each other, as one job.
inline constexpr std::string_view kSlaTimersJob = "sla_timers";
// Assigning a ticket by round robin or load (assignment_service): jobs/assignment_job.
inline constexpr std::string_view kAssignmentJob = "assignment";
// One time-based automation on one ticket, and the scan that finds them (automations_service):
// jobs/automation_jobs.
inline constexpr std::string_view kAutomationJob = "automation";
inline constexpr std::string_view kAutomationScanJob = "automation_scan";
// One agent's reply sent back through an inbound source (inbound_service): jobs/im_reply_job.
inline constexpr std::string_view kImReplyJob = "im_reply";
// One pull of a WeCom customer-service source's waiting messages (inbound_service):
// jobs/im_sync_job.
inline constexpr std::string_view kImSyncJob = "im_sync";
// A file an inbound message carries, fetched from the provider and attached to the message.
inline constexpr std::string_view kImFileJob = "im_file";
// A file of an agent's reply sent back through an inbound source (inbound_service):
// jobs/im_reply_file_job.
inline constexpr std::string_view kImReplyFileJob = "im_reply_file";
// Applying the triage models' confident predictions to a new ticket, and training them
// (triage_service): jobs/triage_jobs.
inline constexpr std::string_view kTriageJob = "triage";
inline constexpr std::string_view kTriageTrainJob = "triage_train";
// One LDAP directory's sync, which queues the next (ldap_service): jobs/ldap_sync_job.
inline constexpr std::string_view kLdapSyncJob = "ldap_sync";
// The satisfaction survey of one solved ticket, after the survey's delay (csat_service):
// jobs/csat_job.
inline constexpr std::string_view kCsatSurveyJob = "csat_survey";
// Publishing an article translation at its scheduled time (kb_service): jobs/kb_publish_job.
inline constexpr std::string_view kKbPublishJob = "kb_publish";
// One batch of a retention policy's daily run (retention_service): jobs/retention_job.
inline constexpr std::string_view kRetentionJob = "retention";
// The drafts-and-summaries request log's daily pruning (assist_service): jobs/assist_log_job.
inline constexpr std::string_view kAssistLogJob = "assist_log";
// Folding the report rollups' finished days into days and months, once a day after the day
// ends, catching up whatever is left (reports_service): jobs/report_fold_job.
inline constexpr std::string_view kReportFoldJob = "report_fold";
// A scheduled report mail's run, which queues one mail per recipient and the next run, and one
// recipient's mail (report_mail_service): jobs/report_mail_job.
inline constexpr std::string_view kReportScheduleJob = "report_schedule";
inline constexpr std::string_view kReportMailJob = "report_mail";

}  // namespace gongdan::services
