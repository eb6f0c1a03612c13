// Outgoing mail, one job per outbound_mail row (agent replies, acknowledgements, automatic
// mail). The outbox says in one call what to send: the message, its attachments and the sending
// mailbox's SMTP server. This job builds the complete message (MIME bytes and envelope), hands
// it to the SMTP driver, which only sends, and tells the outbox how it went, so the ticket's
// outbound-mail log shows the attempts, the last error and "sent" or, after the kind's last
// attempt, "failed" (the job then waits in the dead letters, where an admin can retry it).
#include <spdlog/spdlog.h>

#include "channels/email/driver/smtp_submit.hpp"
#include "channels/email/parse/mime_writer.hpp"
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"
#include "util/crypto.hpp"

namespace gongdan::jobs {
namespace {

// Sends it; "" when the server took it, else why not.
std::string send(const services::OutgoingDelivery& d, const Job& job) {
  const std::string bytes = email::build_mime(d.mail, "=_gongdan_" + crypto::random_token(12));
  email::SmtpEnvelope envelope{d.mail.from_address, d.mail.to_address, d.mail.cc};
  envelope.copies.insert(envelope.copies.end(), d.bcc.begin(), d.bcc.end());
  auto sent = email::smtp_submit(d.server, envelope, bytes,
                                 [&job] { return job.stopping && job.stopping->load(); });
  return sent ? std::string() : sent.error().message;
}

JobResult send_mail(const Job& job, services::OutboxService& outbox, const RetryPolicy& retry) {
  const auto id = payload_int(job.payload, "outbound_id");
  if (!id) return JobResult::dead("the job's payload names no outbound mail");
  std::string error;
  if (auto prepared = outbox.prepare(*id); !prepared) {
    error = prepared.error().message;
  } else if (!*prepared) {
    return JobResult::done();  // gone, or sent by an earlier run of this job
  } else {
    error = send(**prepared, job);
  }
  // Cut short by shutdown: this try does not count; the next start runs the job again.
  if (!error.empty() && job.stopping && job.stopping->load())
    return JobResult::retry("interrupted by shutdown");
  const bool last = !error.empty() && retries_exhausted(retry, job.attempt);
  if (auto recorded = outbox.record_attempt(*id, error, last); !recorded) {
    // Sent but not written down: sending again would mail the customer twice.
    spdlog::warn("outbox: mail {}: cannot record the attempt: {}", *id, recorded.error().message);
  }
  if (error.empty()) return JobResult::done();
  spdlog::warn("outbox: mail {} failed (attempt {}{}): {}", *id, job.attempt,
               last ? ", the last" : "", error);
  return JobResult::retry(std::move(error));
}

}  // namespace

void add_mail_job(JobRunner& runner, services::OutboxService& outbox, const RetryPolicy& retry) {
  runner.handle(
      std::string(services::kMailJob),
      [&outbox, retry](const Job& job) { return send_mail(job, outbox, retry); }, retry);
}

}  // namespace gongdan::jobs
