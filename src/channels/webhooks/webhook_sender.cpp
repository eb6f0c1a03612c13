#include "channels/webhooks/webhook_sender.hpp"

#include <curl/curl.h>
#include <netdb.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <algorithm>
#include <cctype>
#include <chrono>

#include "domain/network_address.hpp"
#include "services/webhook_target.hpp"
#include "util/answer_sink.hpp"
#include "util/http_exchange.hpp"

namespace gongdan::channels {
namespace {

std::string address_text(const sockaddr* sa) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  return buf;
}

struct SocketGuard {
  bool check = true;  // false for allow-listed hosts
  std::string refused;
};

curl_socket_t open_checked_socket(void* clientp, curlsocktype, curl_sockaddr* address) {
  auto* guard = static_cast<SocketGuard*>(clientp);
  if (guard->check) {
    const std::string ip = address_text(&address->addr);
    const auto c = classify_address(ip);
    if (c != AddressClass::kPublic) {
      guard->refused = ip + " is " + std::string(address_class_name(c));
      return CURL_SOCKET_BAD;
    }
  }
  return ::socket(address->family, address->socktype, address->protocol);
}

int abort_when_stopping(void* clientp, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* stopping = static_cast<const std::atomic<bool>*>(clientp);
  return stopping && stopping->load() ? 1 : 0;
}

// Keeps the answer's Content-Disposition (a file's name), the one header a file's caller reads.
std::size_t keep_disposition(char* data, std::size_t size, std::size_t n, void* userdata) {
  constexpr std::string_view kName = "content-disposition:";
  const std::string_view line(data, size * n);
  if (line.size() > kName.size() && line.size() < 2048 &&
      std::equal(kName.begin(), kName.end(), line.begin(),
                 [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); })) {
    auto value = line.substr(kName.size());
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
    *static_cast<std::string*>(userdata) = std::string(value);
  }
  return size * n;
}

struct CurlEasy {
  CURL* h = curl_easy_init();
  curl_slist* headers = nullptr;
  curl_slist* resolve = nullptr;
  ~CurlEasy() {
    curl_slist_free_all(headers);
    curl_slist_free_all(resolve);
    if (h) curl_easy_cleanup(h);
  }
};

}  // namespace

HttpOutcome post_webhook(const WebhookRequest& request, const WebhookSenderOptions& options,
                         const std::atomic<bool>* stopping) {
  return call_http(request, options, stopping, false, nullptr);
}

HttpOutcome call_http(const WebhookRequest& request, const WebhookSenderOptions& options,
                      const std::atomic<bool>* stopping, bool get, std::string* answer,
                      std::size_t whole_up_to) {
  HttpOutcome out;
  auto target = services::parse_webhook_url(request.url);
  if (!target) return {std::nullopt, "invalid URL: " + target.error().message, true};
  const bool allowed = services::host_allow_listed(options.allow_hosts, target->host);
  if (!allowed && (target->host == "localhost" || target->host.ends_with(".localhost")))
    return {std::nullopt,
            services::refused_target(target->host, target->host, "a loopback address").message,
            true};

  // Resolve once, check every address, and pin the request to them.
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(target->port);
  if (int rc = getaddrinfo(target->host.c_str(), port.c_str(), &hints, &found); rc != 0)
    return {std::nullopt, "cannot resolve " + target->host + ": " + gai_strerror(rc), false};
  std::string pinned;
  for (auto* a = found; a; a = a->ai_next) {
    const std::string ip = address_text(a->ai_addr);
    if (ip.empty()) continue;
    const auto c = classify_address(ip);
    if (!allowed && c != AddressClass::kPublic) {
      freeaddrinfo(found);
      return {std::nullopt,
              services::refused_target(target->host, ip, address_class_name(c)).message, true};
    }
    if (pinned.find(ip) != std::string::npos) continue;
    if (!pinned.empty()) pinned += ',';
    pinned += a->ai_family == AF_INET6 ? "[" + ip + "]" : ip;
  }
  freeaddrinfo(found);
  if (pinned.empty()) return {std::nullopt, "no address for " + target->host, false};

  init_webhook_sender();
  CurlEasy curl;
  if (!curl.h) return {std::nullopt, "cannot start an HTTP client", false};
  const std::string host_name =
      target->host.find(':') != std::string::npos ? "[" + target->host + "]" : target->host;
  curl.resolve = curl_slist_append(nullptr, (host_name + ":" + port + ":" + pinned).c_str());
  for (const auto& [name, value] : request.headers)
    curl.headers = curl_slist_append(curl.headers, (name + ": " + value).c_str());
  curl.headers = curl_slist_append(curl.headers, "Expect:");
  SocketGuard guard{!allowed, {}};
  char errbuf[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl.h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl.h, CURLOPT_RESOLVE, curl.resolve);
  curl_easy_setopt(curl.h, CURLOPT_HTTPHEADER, curl.headers);
  if (get) {
    curl_easy_setopt(curl.h, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(curl.h, CURLOPT_POST, 1L);
    curl_easy_setopt(curl.h, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl.h, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(curl.h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl.h, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl.h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.h, CURLOPT_TIMEOUT_MS, options.timeout_ms);
  curl_easy_setopt(curl.h, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms);
  curl_easy_setopt(curl.h, CURLOPT_OPENSOCKETFUNCTION, open_checked_socket);
  curl_easy_setopt(curl.h, CURLOPT_OPENSOCKETDATA, &guard);
  curl_easy_setopt(curl.h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl.h, CURLOPT_XFERINFOFUNCTION, abort_when_stopping);
  curl_easy_setopt(curl.h, CURLOPT_XFERINFODATA, stopping);
  AnswerSink sink{answer, whole_up_to ? whole_up_to : std::size_t{1} << 20, whole_up_to > 0};
  curl_easy_setopt(curl.h, CURLOPT_WRITEFUNCTION, keep_answer);
  curl_easy_setopt(curl.h, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl.h, CURLOPT_ERRORBUFFER, errbuf);
  if (answer) {
    curl_easy_setopt(curl.h, CURLOPT_HEADERFUNCTION, keep_disposition);
    curl_easy_setopt(curl.h, CURLOPT_HEADERDATA, &out.content_disposition);
  }
  const CURLcode rc = curl_easy_perform(curl.h);
  if (!guard.refused.empty())
    return {std::nullopt,
            services::refused_target(target->host, guard.refused, "not allowed").message, true};
  if (sink.too_long) {
    out.error = "the file is larger than " + std::to_string(sink.max / (1024 * 1024)) + " MB";
    out.refused = true;  // no retry makes it smaller
    return out;
  }
  if (rc != CURLE_OK) {
    out.error = *errbuf ? errbuf : curl_easy_strerror(rc);
    return out;
  }
  long status = 0;
  curl_easy_getinfo(curl.h, CURLINFO_RESPONSE_CODE, &status);
  out.status = static_cast<int>(status);
  if (const char* type = nullptr;
      curl_easy_getinfo(curl.h, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type)
    out.content_type = type;
  if (status < 200 || status > 299) out.error = "the receiver answered " + std::to_string(status);
  return out;
}

void init_webhook_sender() { init_libcurl(); }

}  // namespace gongdan::channels
