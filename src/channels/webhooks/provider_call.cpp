#include "channels/webhooks/provider_call.hpp"

#include <algorithm>

#include "channels/im/provider_answer.hpp"

namespace gongdan::channels {
namespace {

constexpr std::string_view kPlaceholder = "{access_token}";

std::string with_token(std::string text, std::string_view token) {
  for (auto at = text.find(kPlaceholder); at != std::string::npos;
       at = text.find(kPlaceholder, at + token.size()))
    text.replace(at, kPlaceholder.size(), token);
  return text;
}

// One HTTP exchange: the answer's status and body, or why there was none.
Result<std::pair<int, std::string>> exchange(const WebhookRequest& request, bool get,
                                             const WebhookSenderOptions& options,
                                             const std::atomic<bool>* stopping) {
  std::string answer;
  const auto outcome = call_http(request, options, stopping, get, &answer);
  if (outcome.refused) return fail(ErrorCode::kInvalidArgument, outcome.error);
  if (!outcome.status) return fail(ErrorCode::kUnavailable, outcome.error);
  return std::pair{*outcome.status, std::move(answer)};
}

// A file's exchange: the whole body (at most `max_bytes`) and its headers.
struct FileAnswer {
  int status = 0;
  std::string body;
  std::string content_type;
  std::string content_disposition;
};

Result<FileAnswer> exchange_file(const WebhookRequest& request, bool get,
                                 const WebhookSenderOptions& options,
                                 const std::atomic<bool>* stopping, std::size_t max_bytes) {
  FileAnswer a;
  const auto outcome = call_http(request, options, stopping, get, &a.body, max_bytes);
  if (outcome.refused) return fail(ErrorCode::kInvalidArgument, outcome.error);
  if (!outcome.status) return fail(ErrorCode::kUnavailable, outcome.error);
  a.status = *outcome.status;
  a.content_type = outcome.content_type;
  a.content_disposition = outcome.content_disposition;
  return a;
}

Result<std::string> fetch_token(const services::ImDelivery& call,
                                const WebhookSenderOptions& options,
                                const std::atomic<bool>* stopping, ProviderTokens& tokens) {
  const auto& t = *call.token;
  if (auto cached = tokens.get(t.cache_key)) return std::move(*cached);
  const auto fetching = tokens.fetching(t.cache_key);
  if (auto cached = tokens.get(t.cache_key)) return std::move(*cached);
  WebhookRequest request{t.url, t.body, {{"Content-Type", "application/json; charset=utf-8"}}};
  GONGDAN_ASSIGN(auto answer, exchange(request, t.body.empty(), options, stopping));
  auto token = im::parse_access_token(call.kind, answer.first, answer.second);
  if (!token) {
    // The app's id or secret is wrong: the provider refused to give a token.
    return fail(ErrorCode::kUnavailable, "access token: " + token.error().message);
  }
  tokens.put(t.cache_key, token->token, token->expires_in_seconds);
  return std::move(token->token);
}

// The call's request, with its access token in place (and that token in `used`).
Result<WebhookRequest> request_of(const services::ImDelivery& call,
                                  const WebhookSenderOptions& options,
                                  const std::atomic<bool>* stopping, ProviderTokens& tokens,
                                  std::string& used) {
  WebhookRequest request{call.url, call.body, call.headers};
  if (call.token) {
    GONGDAN_ASSIGN(used, fetch_token(call, options, stopping, tokens));
    request.url = with_token(request.url, used);
    for (auto& [name, value] : request.headers) value = with_token(value, used);
  }
  return request;
}

Result<std::string> call_once(const services::ImDelivery& call, const WebhookSenderOptions& options,
                              const std::atomic<bool>* stopping, ProviderTokens& tokens,
                              std::string& used) {
  GONGDAN_ASSIGN(auto request, request_of(call, options, stopping, tokens, used));
  GONGDAN_ASSIGN(auto answer, exchange(request, call.get, options, stopping));
  if (!call.token) {
    if (answer.first < 200 || answer.first > 299)
      return fail(ErrorCode::kUnavailable, "the receiver answered " + std::to_string(answer.first));
    return std::move(answer.second);
  }
  GONGDAN_TRY(im::provider_answer(call.kind, answer.first, answer.second));
  return std::move(answer.second);
}

Result<ProviderFile> fetch_file_once(const services::ImDelivery& call,
                                     const WebhookSenderOptions& options,
                                     const std::atomic<bool>* stopping, ProviderTokens& tokens,
                                     std::size_t max_bytes, std::string& used) {
  GONGDAN_ASSIGN(auto request, request_of(call, options, stopping, tokens, used));
  GONGDAN_ASSIGN(auto answer, exchange_file(request, call.get, options, stopping, max_bytes));
  GONGDAN_ASSIGN(auto link,
                 im::media_answer(call.kind, answer.status, answer.content_type, answer.body));
  if (link) {
    // DingTalk: the bytes are at a short-lived URL of its own, fetched without the token.
    GONGDAN_ASSIGN(answer, exchange_file({*link, "", {}}, true, options, stopping, max_bytes));
    if (answer.status == 429 || answer.status >= 500)
      return fail(ErrorCode::kUnavailable,
                  "the download URL answered HTTP " + std::to_string(answer.status));
    if (answer.status < 200 || answer.status > 299)
      return fail(ErrorCode::kNotFound,
                  "the download URL answered HTTP " + std::to_string(answer.status));
    if (answer.body.empty())
      return fail(ErrorCode::kInvalidArgument, "the provider sent an empty file");
  }
  return ProviderFile{std::move(answer.body),
                      im::disposition_filename(answer.content_disposition).value_or("")};
}

}  // namespace

std::optional<std::string> ProviderTokens::get(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = tokens_.find(key);
  if (it == tokens_.end() || it->second.second <= Clock::now()) return std::nullopt;
  return it->second.first;
}

void ProviderTokens::put(const std::string& key, std::string token,
                         std::int64_t expires_in_seconds) {
  // Asked for again five minutes early (or at half its life, when shorter), so a call never
  // carries a token that expires on its way.
  const std::int64_t keep =
      std::max<std::int64_t>(1, std::min(expires_in_seconds - 300, expires_in_seconds / 2));
  std::lock_guard lock(mutex_);
  tokens_[key] = {std::move(token), Clock::now() + std::chrono::seconds(keep)};
}

void ProviderTokens::drop(const std::string& key, const std::string& refused) {
  std::lock_guard lock(mutex_);
  const auto it = tokens_.find(key);
  if (it != tokens_.end() && it->second.first == refused) tokens_.erase(it);
}

std::unique_lock<std::mutex> ProviderTokens::fetching(const std::string& key) {
  std::unique_lock lock(mutex_);
  auto& one = fetching_[key];  // a map's node stays put, so the mutex outlives this lock
  lock.unlock();
  return std::unique_lock(one);
}

ProviderTokens& provider_tokens() {
  static ProviderTokens tokens;
  return tokens;
}

Result<std::string> call_provider(const services::ImDelivery& call,
                                  const WebhookSenderOptions& options,
                                  const std::atomic<bool>* stopping, ProviderTokens& tokens) {
  std::string used;
  auto answer = call_once(call, options, stopping, tokens, used);
  if (!answer && answer.error().code == ErrorCode::kUnauthenticated && call.token) {
    // The provider refused the cached token (expired early, or revoked): once more, anew.
    tokens.drop(call.token->cache_key, used);
    answer = call_once(call, options, stopping, tokens, used);
  }
  if (!answer && answer.error().code == ErrorCode::kUnauthenticated)
    return fail(ErrorCode::kUnavailable, answer.error().message);
  return answer;
}

Result<ProviderFile> fetch_provider_file(const services::ImDelivery& call,
                                         const WebhookSenderOptions& options,
                                         const std::atomic<bool>* stopping, ProviderTokens& tokens,
                                         std::size_t max_bytes) {
  std::string used;
  auto file = fetch_file_once(call, options, stopping, tokens, max_bytes, used);
  if (!file && file.error().code == ErrorCode::kUnauthenticated && call.token) {
    tokens.drop(call.token->cache_key, used);  // refused: once more, with a new token
    file = fetch_file_once(call, options, stopping, tokens, max_bytes, used);
  }
  if (!file && file.error().code == ErrorCode::kUnauthenticated)
    return fail(ErrorCode::kUnavailable, file.error().message);
  return file;
}

}  // namespace gongdan::channels
