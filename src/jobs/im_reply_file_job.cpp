// A file of an agent's reply, sent back through the inbound source its ticket came from, one job
// per file (queued with the reply by services/inbound_service). services/provider_files says how
// each provider takes a file: Telegram in one sendPhoto/sendDocument; WeCom, Feishu and DingTalk
// by an upload under the app's cached access token, then a message naming what it returned.
// Sent with the webhook sender's address rules, retried like mail; a file too large for the
// provider, a refused target or an upload that names no media is dead at once, with the reason.
#include <spdlog/spdlog.h>

#include "channels/im/provider_answer.hpp"
#include "channels/webhooks/provider_call.hpp"
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"
#include "util/enum_names.hpp"

namespace gongdan::jobs {
namespace {

// The words a failure names the provider by; a source of another kind is "the source".
std::string_view provider_name(InboundKind kind) {
  static constexpr Named<InboundKind> kProviders[] = {{InboundKind::kTelegram, "Telegram"},
                                                      {InboundKind::kWecom, "WeCom"},
                                                      {InboundKind::kFeishu, "Feishu"},
                                                      {InboundKind::kDingtalk, "DingTalk"}};
  return name_in(kProviders, kind, "the source");
}

JobResult file_failed(const Error& e, std::string_view step) {
  return job_failure({e.code, std::string(step) + ": " + e.message});
}

JobResult send_file(const Job& job, services::InboundService& inbound,
                    const channels::WebhookSenderOptions& options) {
  const auto outbound = payload_int(job.payload, "outbound_id");
  const auto attachment = payload_int(job.payload, "attachment_id");
  if (!outbound || !attachment) return JobResult::dead("the job's payload names no reply file");
  auto prepared = inbound.prepare_reply_file(*outbound, *attachment);
  if (!prepared) return file_failed(prepared.error(), "the reply's file");
  if (!*prepared) return JobResult::done();  // the reply or its file is gone
  const auto& [source, external_id, file] = **prepared;
  const std::string who(provider_name(source.source.kind));
  const auto secret = services::InboundService::app_secret(source);
  const auto upload = services::file_upload(source.source, secret, external_id, file);
  if (!upload.call) return JobResult::dead(file.filename + ": " + upload.error);
  auto& tokens = channels::provider_tokens();
  auto answer = channels::call_provider(*upload.call, options, job.stopping, tokens);
  if (!answer) return file_failed(answer.error(), who + (upload.sends ? " send" : " upload"));
  if (upload.sends) return JobResult::done();
  auto key = channels::im::uploaded_key(source.source.kind, *answer);
  if (!key) return file_failed(key.error(), who + " upload");
  const std::string id =
      "gongdan-file-" + std::to_string(*outbound) + "-" + std::to_string(*attachment);
  const auto message =
      services::file_message(source.source, secret, external_id, *key, file, upload.as_image, id);
  if (!message) return JobResult::dead(who + ": the reply's recipient cannot take a file");
  auto sent = channels::call_provider(*message, options, job.stopping, tokens);
  if (!sent) {
    spdlog::warn("im reply file {} of reply {} (attempt {}): {}", *attachment, *outbound,
                 job.attempt, sent.error().message);
    return file_failed(sent.error(), who + " send");
  }
  return JobResult::done();
}

}  // namespace

void add_im_reply_file_job(JobRunner& runner, services::InboundService& inbound,
                           channels::WebhookSenderOptions options, const RetryPolicy& retry) {
  handle_inbound_job(runner, services::kImReplyFileJob, send_file, inbound, std::move(options),
                     retry);
}

}  // namespace gongdan::jobs
