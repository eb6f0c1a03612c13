// One HTTP request by libcurl to a server an admin configured (a model endpoint, an identity
// provider, a Request Tracker, the server `gongdan mailgate` posts to): http or https only, no
// redirects, no proxy unless asked, no signals, and the answer kept to a bound, so a peer that
// answers without end fills no memory. Webhooks and IM providers go through channels/webhooks'
// sender instead, which also checks and pins the address.
// Thread-safe: one handle per call.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace gongdan {

struct HttpCall {
  std::string url;
  std::vector<std::string> headers;      // "Name: value", sent in this order
  std::optional<std::string_view> body;  // POSTed when set (not copied: keep it alive)
  std::string user;                      // HTTP basic authentication when not empty
  std::string password;
  long timeout_ms = 0;          // the whole exchange; 0: no limit
  long connect_timeout_ms = 0;  // 0: libcurl's own
  std::size_t max_bytes = std::size_t{1} << 20;
  // An answer over max_bytes keeps its first max_bytes and the rest is read and dropped (for an
  // answer that only explains a refusal), instead of ending the exchange as too_long.
  bool keep_truncated = false;
  // The proxy the environment names (http_proxy, …): for a command an MTA runs, whose
  // administrator may route it so. A server's own calls never take one.
  bool proxy_from_environment = false;
};

struct HttpAnswer {
  bool done = false;       // the exchange completed
  bool timed_out = false;  // cut off by timeout_ms
  bool too_long = false;   // the answer was over max_bytes (and is dropped)
  std::string error;       // libcurl's words when not done
  long status = 0;         // the HTTP status, when one came
  std::string body;
};

// Fails only when no HTTP client can be started; a refused or cut-off exchange is an answer.
Result<HttpAnswer> http_exchange(const HttpCall& call);

// libcurl's global set-up, once per process (http_exchange and CurlHandle do it themselves).
void init_libcurl();

// A libcurl easy handle an object keeps for its connection (an IMAP session), made after the
// global set-up and cleaned up with its owner. get() is the CURL* (void* here, so headers need
// no curl.h); null when libcurl could not make one.
class CurlHandle {
 public:
  CurlHandle();
  ~CurlHandle();
  CurlHandle(const CurlHandle&) = delete;
  CurlHandle& operator=(const CurlHandle&) = delete;
  void* get() const { return handle_; }

 private:
  void* handle_ = nullptr;
};

}  // namespace gongdan
