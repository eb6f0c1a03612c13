// TLS for the built-in server: the certificate chain and private key (PEM files) made into an
// OpenSSL context with modern defaults, and a holder that swaps in a new context on reload
// (SIGHUP) while connections already open keep the one they started with.
//
// Defaults: TLS 1.2 and 1.3 only; for TLS 1.2 only ECDHE key exchange with AEAD ciphers, in the
// server's order of preference; no compression, no renegotiation; ALPN answers http/1.1.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "util/result.hpp"

namespace boost::asio::ssl {
class context;
}

namespace gongdan::http {

using TlsContext = boost::asio::ssl::context;

// A context for cert_file (the server's certificate first, then any intermediates) and
// key_file; an unreadable file, a bad PEM or a key that does not match the certificate is a
// kInvalidArgument naming the file and the reason.
Result<std::shared_ptr<TlsContext>> make_tls_context(const std::string& cert_file,
                                                     const std::string& key_file);

// What `gongdan doctor` reports of a certificate and key pair (checked like make_tls_context).
struct CertificateFacts {
  std::string subject;                    // one line, e.g. CN=desk.example.com
  std::chrono::sys_seconds not_before{};  // UTC
  std::chrono::sys_seconds not_after{};   // UTC
  int chain_length = 0;                   // certificates in cert_file
};
Result<CertificateFacts> inspect_tls_files(const std::string& cert_file,
                                           const std::string& key_file);

// The context new connections get. Thread-safe: current() from any I/O thread, reload() from
// the signal handler.
class TlsContexts {
 public:
  TlsContexts(std::string cert_file, std::string key_file, std::shared_ptr<TlsContext> first);
  std::shared_ptr<TlsContext> current() const;
  // Reads the files again; on failure the current context stays and the error says why.
  Result<void> reload();

 private:
  std::string cert_file_;
  std::string key_file_;
  mutable std::mutex mutex_;  // guards current_
  std::shared_ptr<TlsContext> current_;
};

}  // namespace gongdan::http
