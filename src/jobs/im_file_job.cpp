// A file an inbound message carried (services/inbound_service take queued one job a file):
// fetched from where the provider keeps it and attached to the message. Telegram: getFile names
// the file's path, then /file/bot<token>/<path> is the file (core.telegram.org/bots/api#getfile);
// the generic source: the attachment's URL. Both through the webhook sender's address rules
// (a private address must be allow-listed in webhook_allow_hosts), at most 20 MB, retried like
// mail; a file too large, an address refused or a kind that cannot fetch files yet is dead.
#include <boost/json.hpp>
#include <cctype>
#include <variant>

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
  boost::system::error_code ec;
  auto parsed = json::parse(payload, ec);
  const auto* o = ec ? nullptr : parsed.if_object();
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

JobResult fetch_file(const Job& job, services::InboundService& inbound,
                     const channels::WebhookSenderOptions& options) {
  const auto p = file_payload_of(job.payload);
  if (!p) return JobResult::dead("the job's payload names no source, message and file");
  auto source = inbound.source(p->source_id);
  if (!source && source.error().code == ErrorCode::kNotFound) return JobResult::done();
  if (!source) return job_result(fail(source.error()));
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
    default:
      return JobResult::dead("files of this kind of source are not fetched yet");
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
  runner.handle(
      std::string(services::kImFileJob),
      [&inbound, options = std::move(options)](const Job& job) {
        return fetch_file(job, inbound, options);
      },
      retry);
}

}  // namespace gongdan::jobs
