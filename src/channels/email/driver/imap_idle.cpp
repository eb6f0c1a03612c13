#include "channels/email/driver/imap_idle.hpp"

#include <curl/curl.h>
#include <poll.h>

#include "channels/email/driver/oauth_access.hpp"

namespace gongdan::email {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr milliseconds kReadSlice{500};
constexpr milliseconds kAnswerWait{60'000};
constexpr std::size_t kLongestLine = 64 * 1024;

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char a = text[i];
    if (a >= 'a' && a <= 'z') a = static_cast<char>(a - 'a' + 'A');
    if (a != prefix[i]) return false;
  }
  return true;
}

// "* 12 EXISTS": the folder now holds 12 messages, one or more of them new.
bool says_exists(std::string_view line) {
  if (!line.starts_with("* ")) return false;
  std::size_t i = 2;
  const std::size_t digits = i;
  while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
  if (i == digits) return false;
  return starts_with_ci(line.substr(i), " EXISTS");
}

int stop_when_cancelled(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancelled = static_cast<const std::function<bool()>*>(user);
  return (*cancelled && (*cancelled)()) ? 1 : 0;
}

bool advertises_idle(std::string_view line) {
  // "* CAPABILITY IMAP4rev1 ... IDLE ...", or the same inside an OK's response code.
  std::size_t at = 0;
  while ((at = line.find("IDLE", at)) != std::string_view::npos) {
    const bool starts = at > 0 && (line[at - 1] == ' ' || line[at - 1] == '[');
    const std::size_t end = at + 4;
    const bool ends = end == line.size() || line[end] == ' ' || line[end] == ']';
    if (starts && ends) return true;
    at = end;
  }
  return false;
}

}  // namespace

ImapIdle::ImapIdle(ImapAccount account) : account_(std::move(account)) {}

bool ImapIdle::cancelled() const { return account_.cancelled && account_.cancelled(); }

Result<void> ImapIdle::send(const std::string& line) {
  auto* curl = static_cast<CURL*>(curl_.get());
  std::size_t offset = 0;
  const auto deadline = steady_clock::now() + kAnswerWait;
  while (offset < line.size()) {
    std::size_t sent = 0;
    const CURLcode rc = curl_easy_send(curl, line.data() + offset, line.size() - offset, &sent);
    if (rc == CURLE_AGAIN) {
      curl_socket_t socket = CURL_SOCKET_BAD;
      curl_easy_getinfo(curl, CURLINFO_ACTIVESOCKET, &socket);
      pollfd p{static_cast<int>(socket), POLLOUT, 0};
      (void)::poll(&p, 1, static_cast<int>(kReadSlice.count()));
      if (steady_clock::now() > deadline || cancelled())
        return fail(ErrorCode::kUnavailable, "IMAP IDLE: the server does not read");
      continue;
    }
    if (rc != CURLE_OK)
      return fail(ErrorCode::kUnavailable, std::string("IMAP IDLE: ") + curl_easy_strerror(rc));
    offset += sent;
  }
  return {};
}

Result<std::string> ImapIdle::read_line(milliseconds wait) {
  auto* curl = static_cast<CURL*>(curl_.get());
  const auto deadline = steady_clock::now() + wait;
  for (;;) {
    if (const auto end = buffer_.find("\r\n"); end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      return line;
    }
    if (buffer_.size() > kLongestLine)
      return fail(ErrorCode::kUnavailable, "IMAP IDLE: a line longer than 64 KiB");
    // Read what TLS may already hold before waiting on the socket.
    char chunk[4096];
    std::size_t got = 0;
    const CURLcode rc = curl_easy_recv(curl, chunk, sizeof chunk, &got);
    if (rc == CURLE_OK && got == 0)
      return fail(ErrorCode::kUnavailable, "IMAP IDLE: the server closed the connection");
    if (rc == CURLE_OK) {
      buffer_.append(chunk, got);
      continue;
    }
    if (rc != CURLE_AGAIN)
      return fail(ErrorCode::kUnavailable, std::string("IMAP IDLE: ") + curl_easy_strerror(rc));
    const auto now = steady_clock::now();
    if (now >= deadline || cancelled()) return std::string();
    curl_socket_t socket = CURL_SOCKET_BAD;
    curl_easy_getinfo(curl, CURLINFO_ACTIVESOCKET, &socket);
    const auto slice =
        std::min(kReadSlice, std::chrono::duration_cast<milliseconds>(deadline - now));
    pollfd p{static_cast<int>(socket), POLLIN, 0};
    (void)::poll(&p, 1, static_cast<int>(slice.count()) + 1);
  }
}

Result<std::string> ImapIdle::until_tagged(const std::string& tag) {
  const auto deadline = steady_clock::now() + kAnswerWait;
  std::string untagged;
  while (steady_clock::now() < deadline && !cancelled()) {
    GONGDAN_ASSIGN(auto line, read_line(kReadSlice));
    if (line.starts_with(tag + " ")) {
      const std::string_view status = std::string_view(line).substr(tag.size() + 1);
      if (starts_with_ci(status, "OK")) return untagged;
      return fail(ErrorCode::kUnavailable, "IMAP IDLE: " + line.substr(0, 200));
    }
    if (line.starts_with("* ")) untagged += line + "\n";
  }
  return fail(ErrorCode::kUnavailable, "IMAP IDLE: no answer to " + tag);
}

Result<bool> ImapIdle::open() {
  auto* curl = static_cast<CURL*>(curl_.get());
  if (!curl) return fail(ErrorCode::kUnavailable, "libcurl could not start");
  const std::string url = imap_server_url(account_);
  GONGDAN_ASSIGN(const auto bearer, imap_bearer(account_));
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  set_imap_login(curl, account_, bearer);
  curl_easy_setopt(curl, CURLOPT_CONNECT_ONLY, 1L);
  // The login is bounded and gives way to a server shutting down, as a poll's commands do.
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, account_.timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, stop_when_cancelled);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &account_.cancelled);
  const CURLcode rc = curl_easy_perform(curl);
  // The connection then idles for as long as the server keeps it: no limit on the whole.
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 0L);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 1L);
  if (rc == CURLE_LOGIN_DENIED && !bearer.empty()) forget_oauth_access_token(account_.oauth);
  if (rc != CURLE_OK)
    return fail(ErrorCode::kUnavailable, std::string("IMAP IDLE: ") + curl_easy_strerror(rc));
  // The capabilities after login: some servers list IDLE only then.
  const std::string capability_tag = "i" + std::to_string(next_tag_++);
  GONGDAN_TRY(send(capability_tag + " CAPABILITY\r\n"));
  GONGDAN_ASSIGN(auto capabilities, until_tagged(capability_tag));
  if (!advertises_idle(capabilities)) return false;
  const std::string select_tag = "i" + std::to_string(next_tag_++);
  GONGDAN_TRY(send(select_tag + " SELECT \"" + account_.folder + "\"\r\n"));
  GONGDAN_TRY(until_tagged(select_tag));
  return true;
}

Result<void> ImapIdle::watch(const std::function<void()>& idling,
                             const std::function<void()>& arrived, milliseconds renew) {
  while (!cancelled()) {
    const std::string tag = "i" + std::to_string(next_tag_++);
    GONGDAN_TRY(send(tag + " IDLE\r\n"));
    // The continuation "+ idling": the server now pushes what changes.
    for (;;) {
      GONGDAN_ASSIGN(auto line, read_line(kAnswerWait));
      if (line.starts_with("+")) break;
      if (line.starts_with(tag + " ") || line.empty())
        return fail(ErrorCode::kUnavailable, "IMAP IDLE refused: " + line.substr(0, 200));
      if (says_exists(line)) arrived();
    }
    idling();
    const auto until = steady_clock::now() + renew;
    while (!cancelled() && steady_clock::now() < until) {
      GONGDAN_ASSIGN(auto line, read_line(kReadSlice));
      if (line.empty()) continue;
      if (starts_with_ci(line, "* BYE"))
        return fail(ErrorCode::kUnavailable, "IMAP IDLE: " + line.substr(0, 200));
      if (says_exists(line)) arrived();
      // Flag changes (the poller's own \Seen), EXPUNGE and RECENT say nothing new arrived.
    }
    if (cancelled()) break;
    GONGDAN_TRY(send("DONE\r\n"));
    GONGDAN_ASSIGN(auto late, until_tagged(tag));
    std::string_view rest = late;
    while (!rest.empty()) {
      const auto end = rest.find('\n');
      if (says_exists(rest.substr(0, end))) arrived();
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
  }
  return {};
}

}  // namespace gongdan::email
