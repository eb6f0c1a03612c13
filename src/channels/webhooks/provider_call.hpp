// One call of an IM provider's API for an inbound source (a reply, WeCom's message pull), sent
// with the webhook sender's address rules: the access token it needs is fetched once and kept
// until shortly before it expires (providers limit how often one may be asked for), put where
// the call says, and fetched anew once when the provider refuses it. Generic and Telegram
// replies need no token: any 2xx counts.
//
// Threads: any; the token cache is shared by the process and guarded by its own mutex.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "channels/webhooks/webhook_sender.hpp"
#include "services/provider_requests.hpp"
#include "util/result.hpp"

namespace gongdan::channels {

class ProviderTokens {
 public:
  std::optional<std::string> get(const std::string& key);
  void put(const std::string& key, std::string token, std::int64_t expires_in_seconds);
  // Forgets `refused` only: a call that carried an older token must not drop the new one
  // another call has just fetched.
  void drop(const std::string& key, const std::string& refused);
  // Held while a token is fetched, so calls that find none at once ask the provider once and
  // the others take what it gave.
  std::unique_lock<std::mutex> fetching(const std::string& key);

 private:
  using Clock = std::chrono::steady_clock;
  std::mutex mutex_;
  std::map<std::string, std::pair<std::string, Clock::time_point>> tokens_;
  std::map<std::string, std::mutex> fetching_;
};

// The process's one cache (the job kinds that call providers share it).
ProviderTokens& provider_tokens();

// The provider's answer body when it took the call. Errors: kInvalidArgument when the target is
// refused by the address rules or the provider's answer is not JSON (no retry helps); kUnavailable
// for a failed connection, an HTTP error or an error the provider reported (retry later).
Result<std::string> call_provider(const services::ImDelivery& call,
                                  const WebhookSenderOptions& options,
                                  const std::atomic<bool>* stopping, ProviderTokens& tokens);

// A file a customer sent, fetched from the provider (services/provider_media): the bytes, and
// the name its answer gives (Content-Disposition), if any.
struct ProviderFile {
  std::string bytes;
  std::string filename;
};

// Fetches it whole, at most `max_bytes`, under the same token rules as call_provider (DingTalk:
// its answer's downloadUrl is fetched next, under the address rules too). Errors: kInvalidArgument
// for a refused target, a file over `max_bytes` or content that is not a file; kNotFound when the
// provider reported the file missing, expired or forbidden; kUnavailable for what a later try may
// mend (a failed connection, a busy provider, a token refused even when fresh).
Result<ProviderFile> fetch_provider_file(const services::ImDelivery& call,
                                         const WebhookSenderOptions& options,
                                         const std::atomic<bool>* stopping, ProviderTokens& tokens,
                                         std::size_t max_bytes);

}  // namespace gongdan::channels
