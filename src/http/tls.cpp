#include "http/tls.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ssl/context.hpp>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>

namespace gongdan::http {
namespace {

// Mozilla's "intermediate" list for TLS 1.2: forward secrecy and AEAD only. TLS 1.3 suites are
// OpenSSL's (all of them are fine).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

Failure bad(std::string message) {
  return fail(ErrorCode::kInvalidArgument, std::move(message), "tls_cert");
}

// OpenSSL's reason for the last failure (its queue is per thread), and the queue emptied.
std::string openssl_reason() {
  std::string reason;
  while (unsigned long code = ERR_get_error()) {
    const char* text = ERR_reason_error_string(code);
    reason = text ? text : "error " + std::to_string(code);  // the last one is the outermost
  }
  return reason.empty() ? "unknown OpenSSL error" : reason;
}

Result<void> check_readable(const std::string& what, const std::string& path) {
  std::ifstream in(path);
  if (!in) return bad("cannot read " + what + " " + path + ": " + std::strerror(errno));
  return {};
}

// An encrypted key would make OpenSSL ask for its passphrase on the terminal: refuse instead.
int no_passphrase(char*, int, int, void*) { return 0; }

// Offered http/1.1 (or nothing offered): http/1.1. Offered only h2: no ALPN answer, and the
// client decides whether HTTP/1.1 without ALPN will do.
int select_http11(SSL*, const unsigned char** out, unsigned char* out_length,
                  const unsigned char* in, unsigned int in_length, void*) {
  static constexpr unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, out_length, kHttp11, sizeof kHttp11, in, in_length) !=
      OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_NOACK;
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

std::chrono::sys_seconds to_sys(const ASN1_TIME* time) {
  std::tm tm{};
  if (!time || ASN1_TIME_to_tm(time, &tm) != 1) return {};
  return std::chrono::sys_seconds{std::chrono::seconds{timegm(&tm)}};
}

}  // namespace

Result<std::shared_ptr<TlsContext>> make_tls_context(const std::string& cert_file,
                                                     const std::string& key_file) {
  GONGDAN_TRY(check_readable("tls_cert", cert_file));
  GONGDAN_TRY(check_readable("tls_key", key_file));
  ERR_clear_error();
  auto context = std::make_shared<TlsContext>(TlsContext::tls_server);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  // No renegotiation either way (OpenSSL 3 refuses a client's unless told to allow it).
  SSL_CTX_set_options(
      native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1)
    return fail(ErrorCode::kInternal, "OpenSSL refused the cipher list: " + openssl_reason());
  SSL_CTX_set_default_passwd_cb(native, no_passphrase);
  SSL_CTX_set_alpn_select_cb(native, select_http11, nullptr);
  if (SSL_CTX_use_certificate_chain_file(native, cert_file.c_str()) != 1)
    return bad("tls_cert " + cert_file + " is not a PEM certificate chain: " + openssl_reason());
  // The key read on its own first, so a key that is fine but not the certificate's is told
  // apart from a file that is not a key at all.
  std::unique_ptr<BIO, decltype(&BIO_free)> key_bio(BIO_new_file(key_file.c_str(), "r"), BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      key_bio ? PEM_read_bio_PrivateKey(key_bio.get(), nullptr, no_passphrase, nullptr) : nullptr,
      EVP_PKEY_free);
  if (!key)
    return bad("tls_key " + key_file +
               " is not an unencrypted PEM private key: " + openssl_reason());
  if (X509_check_private_key(SSL_CTX_get0_certificate(native), key.get()) != 1) {
    ERR_clear_error();
    return bad("tls_key " + key_file + " does not belong to the certificate in tls_cert " +
               cert_file);
  }
  if (SSL_CTX_use_PrivateKey(native, key.get()) != 1 || SSL_CTX_check_private_key(native) != 1)
    return bad("tls_key " + key_file + " cannot be used: " + openssl_reason());
  return context;
}

Result<CertificateFacts> inspect_tls_files(const std::string& cert_file,
                                           const std::string& key_file) {
  GONGDAN_TRY(make_tls_context(cert_file, key_file));
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file(cert_file.c_str(), "r"), BIO_free);
  if (!bio) return bad("cannot read tls_cert " + cert_file + ": " + openssl_reason());
  CertificateFacts facts;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    if (facts.chain_length++ == 0) {
      char subject[512] = {};
      X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof subject);
      facts.subject = subject;
      facts.not_before = to_sys(X509_get0_notBefore(cert));
      facts.not_after = to_sys(X509_get0_notAfter(cert));
    }
    X509_free(cert);
  }
  ERR_clear_error();  // the end of the file reads as "no start line"
  return facts;
}

TlsContexts::TlsContexts(std::string cert_file, std::string key_file,
                         std::shared_ptr<TlsContext> first)
    : cert_file_(std::move(cert_file)),
      key_file_(std::move(key_file)),
      current_(std::move(first)) {}

std::shared_ptr<TlsContext> TlsContexts::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

Result<void> TlsContexts::reload() {
  GONGDAN_ASSIGN(auto fresh, make_tls_context(cert_file_, key_file_));
  std::lock_guard lock(mutex_);
  current_ = std::move(fresh);
  return {};
}

}  // namespace gongdan::http
