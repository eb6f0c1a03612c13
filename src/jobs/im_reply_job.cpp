// An agent's reply sent back through the inbound source its ticket came from, one job per row
// of the IM outbox. The inbound service says what to send (the URL, the body and, for a generic
// source, its signature; for a provider's API, how to get its access token); channels/webhooks
// sends it with the webhook sender's SSRF checks (an internal address only when allow-listed
// in webhook_allow_hosts) and reads the provider's answer; the service records each try, so
// the reply shows "sent", or "failed" once the job gives up and waits in the dead letters.
#include <spdlog/spdlog.h>

#include "channels/webhooks/provider_call.hpp"
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"

namespace gongdan::jobs {
namespace {

JobResult send_reply(const Job& job, services::InboundService& inbound,
                     const channels::WebhookSenderOptions& options, const RetryPolicy& retry) {
  const auto id = payload_int(job.payload, "outbound_id");
  if (!id) return JobResult::dead("the job's payload names no outbound reply");
  auto prepared = inbound.prepare_reply(*id);
  if (!prepared) {
    if (prepared.error().code == ErrorCode::kInvalidArgument) {
      (void)inbound.record_reply_attempt(*id, prepared.error().message, true);
      return JobResult::dead(prepared.error().message);
    }
    return JobResult::retry(prepared.error().message);
  }
  if (!*prepared) return JobResult::done();  // gone, or sent by an earlier run
  const auto sent =
      channels::call_provider(**prepared, options, job.stopping, channels::provider_tokens());
  if (!sent && job.stopping && job.stopping->load())
    return JobResult::retry("interrupted by shutdown");
  const std::string error = sent ? std::string() : sent.error().message;
  const bool refused = !sent && sent.error().code == ErrorCode::kInvalidArgument;
  const bool last = !sent && (refused || retries_exhausted(retry, job.attempt));
  if (auto recorded = inbound.record_reply_attempt(*id, error, last); !recorded)
    spdlog::warn("im reply {}: cannot record the attempt: {}", *id, recorded.error().message);
  if (sent) return JobResult::done();
  spdlog::warn("im reply {} failed (attempt {}): {}", *id, job.attempt, error);
  if (refused) return JobResult::dead(error);
  return JobResult::retry(error);
}

}  // namespace

void add_im_reply_job(JobRunner& runner, services::InboundService& inbound,
                      channels::WebhookSenderOptions options, const RetryPolicy& retry) {
  runner.handle(
      std::string(services::kImReplyJob),
      [&inbound, options = std::move(options), retry](const Job& job) {
        return send_reply(job, inbound, options, retry);
      },
      retry);
}

}  // namespace gongdan::jobs
