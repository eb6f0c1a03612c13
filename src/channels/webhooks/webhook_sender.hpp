// Posts one webhook request with libcurl (the webhook job, jobs/webhook_job, builds it and logs
// the try through a service: this file never touches the store). SSRF: the host is resolved here,
// every address must be public unless the host is allow-listed, the request is pinned to the
// checked addresses (CURLOPT_RESOLVE) and the socket callback checks the address actually connected
// to, so a DNS answer that changes between check and connect cannot reach the internal network. No
// proxy and no redirects are followed.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "channels/webhooks/webhook_request.hpp"

namespace gongdan::channels {

struct WebhookSenderOptions {
  std::vector<std::string> allow_hosts;
  long timeout_ms = 10'000;
  long connect_timeout_ms = 5'000;
};

struct HttpOutcome {
  std::optional<int> status;  // the HTTP status, when an answer came
  std::string error;          // why it failed, when it did
  bool refused = false;       // the target is not allowed: retrying cannot help
  // Of an answer kept for the caller (call_http with `answer`): its Content-Type and
  // Content-Disposition headers, as sent.
  std::string content_type;
  std::string content_disposition;
};

// Posts `request`, enforcing the address rules above.
HttpOutcome post_webhook(const WebhookRequest& request, const WebhookSenderOptions& options,
                         const std::atomic<bool>* stopping);

// The same rules for a call whose answer matters (an IM provider's API): a GET when `get`,
// else a POST; the answer's body (its first MiB) in `answer`, whatever the status. With
// `whole_up_to` (a file fetched from a provider) the body must fit whole in that many bytes:
// a larger one fails, refused (no retry helps).
HttpOutcome call_http(const WebhookRequest& request, const WebhookSenderOptions& options,
                      const std::atomic<bool>* stopping, bool get, std::string* answer,
                      std::size_t whole_up_to = 0);

// libcurl's global set-up, once per process, before the first post (from the thread that
// starts the workers: curl_global_init is not thread-safe).
void init_webhook_sender();

}  // namespace gongdan::channels
