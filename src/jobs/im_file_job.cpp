// A file an inbound message carried (services/inbound_service take queued one job a file):
// fetched from where the provider keeps it and attached to the message. Telegram: getFile names
// the file's path, then /file/bot<token>/<path> is the file (core.telegram.org/bots/api#getfile);
// the generic source: the attachment's URL; WeCom, Feishu and DingTalk: their media APIs under
// the app's cached access token (services/provider_media, channels/webhooks/provider_call). All
// through the webhook sender's address rules (a private address must be allow-listed in
// webhook_allow_hosts), at most 20 MB, retried like mail; a file too large, an address refused,
// a file the provider says is missing or content that is not a file is dead at once. The
// message and its text stay whatever becomes of its files.
#include <boost/json.hpp>
#include <cctype>
#include <variant>

#include "channels/webhooks/provider_call.hpp"
#include "channels/webhooks/webhook_sender.hpp"
#include "jobs/job_kinds.hpp"
#include "services/job_kinds.hpp"
#include "util/encoding.hpp"

namespace gongdan::jobs {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxImFileBytes = 20 * 1024 * 1024;

struct FilePayload {
  std::int64_t source_id = 0;
  std::int64_t message_id = 0;
  std::string reference;
  std::string name;
  std::string content_type;
};

std::optional<FilePayload> file_payload_of(std::string_view payload) {
  const auto o = payload_object(payload);
  if (!o) return std::nullopt;
  FilePayload p;
  const auto* source = o->if_contains("source_id");
  const auto* message = o->if_contains("message_id");
  if (!source || !source->is_int64() || !message || !message->is_int64()) return std::nullopt;
  p.source_id = source->get_int64();
  p.message_id = message->get_int64();
  for (auto [key, out] : {std::pair{"reference", &p.reference}, std::pair{"name", &p.name},
                          std::pair{"content_type", &p.content_type}}) {
    const auto* v = o->if_contains(key);
    if (!v || !v->is_string()) return std::nullopt;
    *out = std::string(v->get_string());
  }
  return p;
}

bool url_unreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

// The outcome of a fetch as a job's: refused targets and oversize files cannot improve.
JobResult fetch_failed(const channels::HttpOutcome& out, std::string_view what) {
  const std::string message = std::string(what) + ": " + out.error;
  return out.refused ? JobResult::dead(message) : JobResult::retry(message);
}

// Telegram's getFile: the URL of the file's bytes, or why not.
std::variant<std::string, JobResult> telegram_file_url(
    const services::OpenedSource& source, const std::string& file_id,
    const channels::WebhookSenderOptions& options, const std::atomic<bool>* stopping) {
  const std::string api = services::provider_api(source.source) + "/bot" + source.api_token;
  const std::string file_api =
      services::provider_api(source.source) + "/file/bot" + source.api_token + "/";
  std::string answer;
  const auto out = channels::call_http(
      {api + "/getFile?file_id=" + encoding::percent_encode(file_id, url_unreserved), "", {}},
      options, stopping, true, &answer);
  if (!out.error.empty()) return fetch_failed(out, "Telegram getFile");
  boost::system::error_code ec;
  auto parsed = json::parse(answer, ec);
  const auto* o = ec ? nullptr : parsed.if_object();
  const auto* result = o ? o->if_contains("result") : nullptr;
  const auto* path =
      result && result->is_object() ? result->as_object().if_contains("file_path") : nullptr;
  if (!path || !path->is_string() || path->get_string().empty() ||
      path->get_string().find("..") != json::string::npos)
    return JobResult::dead("Telegram getFile answered no file_path");
  return file_api + std::string(path->get_string());
}

// WeCom, Feishu and DingTalk: through their media APIs under the app's access token.
JobResult fetch_provider_file(const Job& job, const FilePayload& p,
                              const services::OpenedSource& source,
                              services::InboundService& inbound,
                              const channels::WebhookSenderOptions& options) {
  const std::string what = source.source.kind == InboundKind::kWecom    ? "WeCom media/get"
                           : source.source.kind == InboundKind::kFeishu ? "Feishu message resource"
                                                                        : "DingTalk messageFiles";
  const auto call = inbound.media_request(source, p.reference);
  if (!call)
    return JobResult::dead(what + ": the source has no app id and secret to fetch files with");
  auto file = channels::fetch_provider_file(*call, options, job.stopping,
                                            channels::provider_tokens(), kMaxImFileBytes);
  if (!file) {
    const std::string message = what + ": " + file.error().message;
    if (file.error().code == ErrorCode::kUnavailable) return JobResult::retry(message);
    return JobResult::dead(message);  // missing, refused, too large or not a file
  }
  // WeCom's messages name a file only by its kind; media/get's answer names it.
  std::string name = p.name;
  if (source.source.kind == InboundKind::kWecom && !file->filename.empty()) name = file->filename;
  return job_result(inbound.attach_file(p.message_id, name, p.content_type, file->bytes));
}

JobResult fetch_file(const Job& job, services::InboundService& inbound,
                     const channels::WebhookSenderOptions& options) {
  const auto p = file_payload_of(job.payload);
  if (!p) return JobResult::dead("the job's payload names no source, message and file");
  auto source = inbound.source(p->source_id);
  if (!source && source.error().code == ErrorCode::kNotFound) return JobResult::done();
  if (!source) return job_failure(source.error());
  std::string url;
  switch (source->source.kind) {
    case InboundKind::kGeneric:
      url = p->reference;
      break;
    case InboundKind::kTelegram: {
      auto found = telegram_file_url(*source, p->reference, options, job.stopping);
      if (auto* stop = std::get_if<JobResult>(&found)) return *stop;
      url = std::get<std::string>(found);
      break;
    }
    case InboundKind::kWecom:
    case InboundKind::kFeishu:
    case InboundKind::kDingtalk:
      return fetch_provider_file(job, *p, *source, inbound, options);
    case InboundKind::kCti:
      return JobResult::dead("a PBX's source sends no files");
  }
  std::string bytes;
  const auto out =
      channels::call_http({url, "", {}}, options, job.stopping, true, &bytes, kMaxImFileBytes);
  if (!out.error.empty()) return fetch_failed(out, "the file");
  return job_result(inbound.attach_file(p->message_id, p->name, p->content_type, bytes));
}

}  // namespace

void add_im_file_job(JobRunner& runner, services::InboundService& inbound,
                     channels::WebhookSenderOptions options, const RetryPolicy& retry) {
  handle_inbound_job(runner, services::kImFileJob, fetch_file, inbound, std::move(options), retry);
}

}  // namespace gongdan::jobs
