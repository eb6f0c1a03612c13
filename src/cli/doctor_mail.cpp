// `gongdan doctor`'s mail checks: for every active mailbox, its IMAP server (DNS, TCP, TLS, then
// a login and the folder through the poller's own ImapSession) and its SMTP server (DNS, TCP,
// TLS, then EHLO, STARTTLS and AUTH through libcurl, sending nothing). Each step is reported on
// its own, so the finding says where it broke: the name, the port, the certificate, or the
// password.
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
#include <filesystem>

#include "channels/email/driver/imap_session.hpp"
#include "cli/doctor.hpp"
#include "services/mailboxes_service.hpp"
#include "services/resource_load.hpp"
#include "services/secret_box.hpp"

namespace gongdan::cli::doctor {
namespace {

constexpr int kTimeoutMs = 10'000;

struct Endpoint {
  std::string kind;  // IMAP or SMTP
  std::string host;
  std::int64_t port = 0;
  std::string tls;  // tls, starttls or none
};

// A connected TCP socket, closed on scope exit.
struct Socket {
  int fd = -1;
  ~Socket() {
    if (fd >= 0) ::close(fd);
  }
};

Result<addrinfo*> resolve(const Endpoint& e) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const auto port = std::to_string(e.port);
  if (int rc = ::getaddrinfo(e.host.c_str(), port.c_str(), &hints, &found); rc != 0)
    return fail(ErrorCode::kUnavailable, ::gai_strerror(rc));
  return found;
}

// Connects to the first address that answers within the time limit.
Result<void> connect_any(addrinfo* addresses, Socket& out) {
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
    if (::poll(&p, 1, kTimeoutMs) != 1) {
      last = "no answer within 10 s (a firewall dropping the packets?)";
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
    timeval limit{kTimeoutMs / 1000, 0};
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

// DNS, TCP and (implicit) TLS; true when all passed.
bool reach(const Endpoint& e, const std::string& subject, Findings& out) {
  const std::string where = fmt::format("{} {}:{}", e.kind, e.host, e.port);
  auto addresses = resolve(e);
  if (!addresses) {
    out.error(
        subject,
        fmt::format("{}: DNS: cannot resolve {}: {}", where, e.host, addresses.error().message),
        "check the host name in the mailbox settings and this machine's DNS");
    return false;
  }
  Socket s;
  auto connected = connect_any(*addresses, s);
  ::freeaddrinfo(*addresses);
  if (!connected) {
    out.error(subject, fmt::format("{}: TCP: cannot connect: {}", where, connected.error().message),
              "check the port in the mailbox settings and that the firewall lets this machine "
              "reach it");
    return false;
  }
  if (e.tls == "tls") {
    auto tls = handshake(s.fd, e.host);
    if (!tls) {
      out.error(subject, fmt::format("{}: TLS: {}", where, tls.error().message),
                "use the port and TLS mode the provider gives (implicit TLS is usually 993 for "
                "IMAP and 465 for SMTP; starttls 143 and 587), or fix the server's certificate");
      return false;
    }
    out.ok(subject, fmt::format("{}: DNS, TCP and TLS ({}) fine", where, *tls));
  } else {
    out.ok(subject, fmt::format("{}: DNS and TCP fine{}", where,
                                e.tls == "none" ? " (no TLS: passwords cross the network in the "
                                                  "clear)"
                                                : ", STARTTLS with the login"));
  }
  return true;
}

void check_imap(const Mailbox& box, const std::string& password, const std::string& subject,
                Findings& out) {
  if (!reach({"IMAP", box.imap_host, box.imap_port, box.imap_tls}, subject, out)) return;
  email::ImapAccount account{box.imap_host, box.imap_port,   box.imap_tls, box.imap_user,
                             password,      box.imap_folder, 20,           {}};
  email::ImapSession session(std::move(account));
  // Logs in, selects the folder and searches for nothing: a poll that takes no mail.
  if (auto found = session.search("NOT ALL"); !found) {
    out.error(subject, "IMAP login or folder " + box.imap_folder + ": " + found.error().message,
              "check imap_user, imap_password and imap_folder in the mailbox settings (the desk: "
              "Admin → Mailboxes)");
    return;
  }
  out.ok(subject, "IMAP login as " + box.imap_user + " and folder " + box.imap_folder + " fine");
}

void check_smtp(const Mailbox& box, const std::string& password, const std::string& subject,
                Findings& out) {
  if (!reach({"SMTP", box.smtp_host, box.smtp_port, box.smtp_tls}, subject, out)) return;
  CURL* curl = curl_easy_init();
  const auto url = fmt::format("{}://{}:{}", box.smtp_tls == "tls" ? "smtps" : "smtp",
                               box.smtp_host, box.smtp_port);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_USE_SSL,
                   box.smtp_tls == "none" ? CURLUSESSL_NONE : CURLUSESSL_ALL);
  if (!box.smtp_user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, box.smtp_user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, password.c_str());
  }
  // Greeting, EHLO, STARTTLS and AUTH are libcurl's connection phase: it stops there.
  curl_easy_setopt(curl, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(kTimeoutMs));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(2 * kTimeoutMs));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    out.error(subject, std::string("SMTP greeting, STARTTLS or login: ") + curl_easy_strerror(rc),
              "check smtp_user, smtp_password and smtp_tls in the mailbox settings");
    return;
  }
  out.ok(subject, box.smtp_user.empty() ? "SMTP greeting fine (no login configured)"
                                        : "SMTP greeting and login as " + box.smtp_user +
                                              " (when the server offers AUTH) fine");
}

}  // namespace

void check_mail(const Config& config, store::Database& db, Findings& out) {
  auto boxes = store::read_value(
      db, [](store::Connection& c) { return services::load_all(c, services::mailbox_resource()); });
  if (!boxes) {
    out.error("mail", "cannot read the mailboxes: " + boxes.error().message,
              "check the database connection");
    return;
  }
  std::vector<Mailbox> active;
  for (auto& b : *boxes)
    if (b.active && (!b.imap_host.empty() || !b.smtp_host.empty())) active.push_back(b);
  if (active.empty()) {
    out.ok("mail", "no active mailbox to check (mail may come through the mailgate)");
    return;
  }
  const auto key_file = std::filesystem::path(config.data) / "mail.key";
  std::error_code ec;
  if (!std::filesystem::exists(key_file, ec)) {
    out.error("mail", key_file.string() + " is missing: no mailbox password can be unsealed",
              "restore mail.key from the backup of this data directory, or enter each mailbox's "
              "passwords again");
    return;
  }
  auto secrets = services::SecretBox::open_or_create(key_file);
  if (!secrets) {
    out.error("mail", "cannot read " + key_file.string() + ": " + secrets.error().message,
              "run doctor as the server's user");
    return;
  }
  for (const auto& box : active) {
    const std::string subject = fmt::format("mailbox {} (id {})", box.address, box.id);
    auto unseal = [&](const std::string& sealed) -> std::optional<std::string> {
      if (sealed.empty()) return std::string();
      auto opened = secrets->open(sealed);
      if (opened) return std::move(*opened);
      out.error(subject, "its password cannot be unsealed with " + key_file.string(),
                "mail.key is not the one the password was saved with: restore it, or enter the "
                "password again");
      return std::nullopt;
    };
    if (!box.imap_host.empty())
      if (auto password = unseal(box.imap_password)) check_imap(box, *password, subject, out);
    if (!box.smtp_host.empty())
      if (auto password = unseal(box.smtp_password)) check_smtp(box, *password, subject, out);
  }
}

}  // namespace gongdan::cli::doctor
