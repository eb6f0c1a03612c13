// One HTTP request by libcurl to a server an admin configured (a model endpoint, an identity
// provider, a Request Tracker): http or https only, no redirects, no proxy, no signals, and the
// answer kept to a bound, so a peer that answers without end fills no memory. Webhooks and IM
// providers go through channels/webhooks' sender instead, which also checks and pins the address.
// Thread-safe: one handle per call.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace gongdan {

struct HttpCall {
  std::string url;
  std::vector<std::string> headers;   // "Name: value", sent in this order
  const std::string* body = nullptr;  // POSTed when set
  std::string user;                   // HTTP basic authentication when not empty
  std::string password;
  long timeout_ms = 0;          // the whole exchange; 0: no limit
  long connect_timeout_ms = 0;  // 0: libcurl's own
  std::size_t max_bytes = std::size_t{1} << 20;
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
