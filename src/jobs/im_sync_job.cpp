// WeCom customer service's message pull. The callback (api/inbound_handlers) only said that
// messages wait; this job asks kf/sync_msg for them with the callback's token, from the cursor
// the last pull kept, a page at a time; takes each customer's message in through the inbound
// service (its dedupe by msgid makes a repeated pull harmless) and keeps the next cursor after
// each page, so a pull cut short resumes where it stopped.
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "channels/im/wecom.hpp"
#include "channels/webhooks/provider_call.hpp"
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"

namespace gongdan::jobs {
namespace {

constexpr int kMaxPages = 50;  // 50,000 messages a pull; the next callback pulls the rest

struct SyncPayload {
  std::int64_t source_id = 0;
  std::string token;
  std::string open_kfid;
};

std::optional<SyncPayload> payload_of(std::string_view payload) {
  const auto o = payload_object(payload);
  if (!o) return std::nullopt;
  const auto* id = o->if_contains("source_id");
  const auto* token = o->if_contains("token");
  const auto* kfid = o->if_contains("open_kfid");
  if (!id || !id->is_int64() || !token || !token->is_string() || !kfid || !kfid->is_string())
    return std::nullopt;
  return SyncPayload{id->get_int64(), std::string(token->get_string()),
                     std::string(kfid->get_string())};
}

JobResult pull(const Job& job, services::InboundService& inbound,
               const channels::WebhookSenderOptions& options) {
  const auto p = payload_of(job.payload);
  if (!p) return JobResult::dead("the job's payload names no source and token");
  auto source = inbound.source(p->source_id);
  if (!source && source.error().code == ErrorCode::kNotFound) return JobResult::done();
  if (!source) return job_failure(source.error());
  for (int page = 0; page < kMaxPages; ++page) {
    auto call = inbound.sync_request(*source, p->token, p->open_kfid);
    if (!call) return job_failure(call.error());
    if (!*call) return JobResult::dead("the source lacks its CorpID or Secret");
    auto answer =
        channels::call_provider(**call, options, job.stopping, channels::provider_tokens());
    if (!answer) return job_failure(answer.error());
    auto batch = channels::im::parse_wecom_sync(*answer);
    if (!batch) return job_failure(batch.error());
    for (auto& message : batch->messages)
      if (auto taken = inbound.take(source->source, std::move(message)); !taken)
        return job_failure(taken.error());
    if (!batch->next_cursor.empty())
      if (auto saved = inbound.save_sync_cursor(p->source_id, batch->next_cursor); !saved)
        return job_failure(saved.error());
    if (!batch->has_more) return JobResult::done();
  }
  spdlog::info("inbound source {}: pulled {} pages; the rest waits for the next callback",
               p->source_id, kMaxPages);
  return JobResult::done();
}

}  // namespace

void add_im_sync_job(JobRunner& runner, services::InboundService& inbound,
                     channels::WebhookSenderOptions options, const RetryPolicy& retry) {
  handle_inbound_job(runner, services::kImSyncJob, pull, inbound, std::move(options), retry);
}

}  // namespace gongdan::jobs
