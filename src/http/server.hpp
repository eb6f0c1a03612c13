// The HTTP server: Boost.Beast over Asio, HTTP/1.1 keep-alive, one port for pages, API and
// (later) WebSocket. One io_context per I/O thread, connections spread across them. Requests that
// only read run on the I/O thread; writes (which wait for a durable commit) and sign-ins (which
// hash a password) run on a worker pool so they never stall other connections.
//
// Limits: header block (431), body (413), time to read one request (slow clients are cut off),
// malformed requests get 400 and the connection closes. A request that may carry a large body
// (mail, uploads) is authenticated from its headers before its body is read, and the bodies
// being read or handled at once hold at most body_memory_limit bytes together: a body that does
// not fit is answered 503 before it is read.
//
// With tls_cert and tls_key the port speaks only TLS (http/tls.hpp); SIGHUP reloads the pair.
//
// stop() may be called from any thread: it stops accepting, lets in-flight requests finish
// (bounded by drain_timeout), then returns from run().
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "api/dispatcher.hpp"
#include "http/stream_hub.hpp"
#include "util/ip_range.hpp"
#include "util/metrics.hpp"
#include "util/result.hpp"

namespace gongdan::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  int io_threads = 2;
  int worker_threads = 32;
  std::size_t body_limit = 1 << 20;
  // For requests that carry files: POST /api/v1/attachments and multipart/form-data bodies.
  std::size_t upload_limit = 26 << 20;
  std::size_t mail_limit = 64 << 20;  // POST /api/v1/mail/inbound
  std::size_t body_memory_limit = std::size_t{256} << 20;
  std::size_t header_limit = 16 * 1024;
  std::chrono::seconds request_timeout{30};
  std::chrono::seconds drain_timeout{25};
  std::vector<ip::Range> trusted_proxies;
  bool access_log = false;
  // The built web app (index.html, assets/); empty serves no pages.
  std::string web_root;
  // PEM files: the certificate chain and its private key. Empty: plain HTTP.
  std::string tls_cert;
  std::string tls_key;
  // Over TLS, every answer carries Strict-Transport-Security with this max-age; 0: none.
  std::int64_t hsts_max_age = 0;
};

class Server {
 public:
  Server(ServerOptions options, const api::Dispatcher& dispatcher, Metrics& metrics,
         StreamHub& hub);
  ~Server();
  // Loads the TLS files (if any) and binds the listening socket; returns the port (useful when
  // options.port is 0).
  Result<unsigned short> listen();
  bool serves_tls() const;
  // Serves until stop() or SIGINT/SIGTERM; returns when drained.
  void run();
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace gongdan::http
