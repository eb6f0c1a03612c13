// Delivers webhook jobs: loads the subscription, builds the request, posts it with libcurl and
// records the try in the delivery log. SSRF: the host is resolved here, every address must be
// public unless the host is allow-listed, the request is pinned to the checked addresses
// (CURLOPT_RESOLVE) and the socket callback checks the address actually connected to, so a DNS
// answer that changes between check and connect cannot reach the internal network. No proxy
// and no redirects are followed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "channels/webhooks/webhook_request.hpp"
#include "jobs/job_runner.hpp"
#include "store/database.hpp"

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
};

// Posts `request`, enforcing the address rules above.
HttpOutcome post_webhook(const WebhookRequest& request, const WebhookSenderOptions& options,
                         const std::atomic<bool>* stopping);

class WebhookSender {
 public:
  WebhookSender(store::Database& db, const Clock& clock, WebhookSenderOptions options);
  jobs::JobResult deliver(const jobs::Job& job);

 private:
  store::Database& db_;
  const Clock& clock_;
  WebhookSenderOptions options_;
};

}  // namespace gongdan::channels
