#include "channels/email/driver/mail_probe.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "channels/email/driver/imap_session.hpp"
#include "channels/email/driver/oauth_access.hpp"
#include "channels/email/driver/smtp_submit.hpp"
#include "util/enum_names.hpp"
#include "util/result.hpp"

namespace gongdan::email {
namespace {

// A connected TCP socket, closed on scope exit.
struct Socket {
  int fd = -1;
  ~Socket() {
    if (fd >= 0) ::close(fd);
  }
};

Result<addrinfo*> resolve(const MailServer& e) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const auto port = std::to_string(e.port);
  if (int rc = ::getaddrinfo(e.host.c_str(), port.c_str(), &hints, &found); rc != 0)
    return fail(ErrorCode::kUnavailable, ::gai_strerror(rc));
  return found;
}

// Connects to the first address that answers within the time limit.
Result<void> connect_any(addrinfo* addresses, Socket& out, int timeout_ms) {
  std::string last = "no address";
  for (auto* a = addresses; a; a = a->ai_next) {
    Socket s;
    s.fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (s.fd < 0) continue;
    if (::connect(s.fd, a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
      last = std::strerror(errno);
      continue;
    }
    pollfd p{s.fd, POLLOUT, 0};
    if (::poll(&p, 1, timeout_ms) != 1) {
      last = fmt::format("no answer within {} s (a firewall dropping the packets?)",
                         timeout_ms / 1000);
      continue;
    }
    int error = 0;
    socklen_t size = sizeof error;
    ::getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &error, &size);
    if (error != 0) {
      last = std::strerror(error);
      continue;
    }
    // Blocking again, with time limits, for the TLS handshake.
    timeval limit{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(s.fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    const int mode = ::fcntl(s.fd, F_GETFL);
    ::fcntl(s.fd, F_SETFL, mode & ~O_NONBLOCK);
    std::swap(out.fd, s.fd);
    return {};
  }
  return fail(ErrorCode::kUnavailable, last);
}

// An implicit-TLS handshake on the connected socket, checking the certificate against the
// system's authorities and the host name, as libcurl will when the mailbox is used.
Result<std::string> handshake(int fd, const std::string& host) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_default_verify_paths(ctx);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  SSL_set_tlsext_host_name(ssl, host.c_str());
  SSL_set1_host(ssl, host.c_str());
  std::string problem;
  if (SSL_connect(ssl) != 1) {
    const long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) {
      problem = std::string("certificate not trusted: ") + X509_verify_cert_error_string(verify);
    } else {
      char reason[256] = "the server does not speak TLS on this port";
      if (unsigned long e = ERR_get_error(); e != 0) ERR_error_string_n(e, reason, sizeof reason);
      problem = reason;
    }
  }
  const std::string version = problem.empty() ? SSL_get_version(ssl) : "";
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  ERR_clear_error();
  if (!problem.empty()) return fail(ErrorCode::kUnavailable, problem);
  return version;
}

ProbeReport failed(ProbeStep step, std::string message) {
  ProbeReport r;
  r.step = step;
  r.message = std::move(message);
  return r;
}

// DNS, TCP and (implicit) TLS; ok when all passed, with `reached` saying so.
ProbeReport reach(const MailServer& e, int timeout_ms) {
  const std::string where = fmt::format("{} {}:{}", e.kind, e.host, e.port);
  auto addresses = resolve(e);
  if (!addresses)
    return failed(ProbeStep::kDns, fmt::format("{}: DNS: cannot resolve {}: {}", where, e.host,
                                               addresses.error().message));
  Socket s;
  auto connected = connect_any(*addresses, s, timeout_ms);
  ::freeaddrinfo(*addresses);
  if (!connected)
    return failed(ProbeStep::kTcp,
                  fmt::format("{}: TCP: cannot connect: {}", where, connected.error().message));
  ProbeReport r;
  r.ok = true;
  if (e.tls == "tls") {
    auto tls = handshake(s.fd, e.host);
    if (!tls)
      return failed(ProbeStep::kTls, fmt::format("{}: TLS: {}", where, tls.error().message));
    r.reached = fmt::format("{}: DNS, TCP and TLS ({}) fine", where, *tls);
  } else {
    r.reached = fmt::format("{}: DNS and TCP fine{}", where,
                            e.tls == "none" ? " (no TLS: passwords cross the network in the clear)"
                                            : ", STARTTLS with the login");
  }
  return r;
}

}  // namespace

std::string_view probe_step_name(ProbeStep step) {
  static constexpr Named<ProbeStep> kSteps[] = {{ProbeStep::kDns, "dns"},
                                                {ProbeStep::kTcp, "tcp"},
                                                {ProbeStep::kTls, "tls"},
                                                {ProbeStep::kLogin, "login"},
                                                {ProbeStep::kFolder, "folder"}};
  return name_in(kSteps, step, "login");
}

ProbeReport probe_imap(const MailServer& server, int timeout_ms) {
  auto r = reach(server, timeout_ms);
  if (!r.ok) return r;
  const long seconds = std::max(1, timeout_ms / 1000);
  ImapAccount account{server.host,   server.port, server.tls, server.user, server.password,
                      server.folder, seconds,     {},         server.oauth};
  ImapSession session(std::move(account));
  // The login alone first (a NOOP outside any folder), so a wrong password and a missing
  // folder are told apart; then the folder, searching for nothing: a poll that takes no mail.
  if (auto in = session.noop(); !in) {
    r.ok = false;
    r.step = ProbeStep::kLogin;
    r.message = "IMAP login as " + server.user + ": " + in.error().message;
    return r;
  }
  if (auto found = session.search("NOT ALL"); !found) {
    r.ok = false;
    r.step = ProbeStep::kFolder;
    r.message = "IMAP folder " + server.folder + ": " + found.error().message;
    return r;
  }
  r.message = "IMAP login as " + server.user + " and folder " + server.folder + " fine";
  return r;
}

ProbeReport probe_smtp(const MailServer& server, int timeout_ms) {
  auto r = reach(server, timeout_ms);
  if (!r.ok) return r;
  std::string bearer;
  if (!server.oauth.empty()) {
    auto token = oauth_access_token(server.oauth);
    if (!token) {
      r.ok = false;
      r.step = ProbeStep::kLogin;
      r.message = "SMTP login as " + server.user + ": " + token.error().message;
      return r;
    }
    bearer = std::move(*token);
  }
  CURL* curl = curl_easy_init();
  const auto url =
      fmt::format("{}://{}:{}", server.tls == "tls" ? "smtps" : "smtp", server.host, server.port);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_USE_SSL, server.tls == "none" ? CURLUSESSL_NONE : CURLUSESSL_ALL);
  set_smtp_login(curl, {server.host, server.port, server.tls, server.user, server.password, {}},
                 bearer);
  // Greeting, EHLO, STARTTLS and AUTH are libcurl's connection phase: it stops there.
  curl_easy_setopt(curl, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(2 * timeout_ms));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    r.ok = false;
    r.step = ProbeStep::kLogin;
    r.message = std::string("SMTP greeting, STARTTLS or login: ") + curl_easy_strerror(rc);
    return r;
  }
  r.message = server.user.empty() ? "SMTP greeting fine (no login configured)"
                                  : "SMTP greeting and login as " + server.user +
                                        " (when the server offers AUTH) fine";
  return r;
}

}  // namespace gongdan::email
