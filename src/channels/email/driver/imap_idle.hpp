// One IMAP connection held in IDLE (RFC 2177) on a mailbox's folder, so the poller hears of new
// mail within seconds instead of at its next poll. libcurl logs in (TLS, STARTTLS, a password or
// an OAuth2 bearer token, exactly as ImapSession does) and then hands over the connection
// (CURLOPT_CONNECT_ONLY); CAPABILITY, SELECT, IDLE and DONE are written here.
//
// It only tells: "new mail exists" is a call of `arrived`, and the poller fetches it with its own
// session as it always does, so what it takes and how it marks messages stays in one place.
//
// Contract: not thread-safe; one object per watching thread. Every read waits at most half a
// second before asking `account.cancelled`, so a server shutting down is never held up.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "channels/email/driver/imap_session.hpp"
#include "util/result.hpp"

namespace gongdan::email {

class ImapIdle {
 public:
  explicit ImapIdle(ImapAccount account);
  ImapIdle(const ImapIdle&) = delete;
  ImapIdle& operator=(const ImapIdle&) = delete;

  // Logs in and selects the folder. False when the server does not advertise IDLE (poll only).
  Result<bool> open();

  // Idles until cancelled or the connection fails; re-issues IDLE every `renew` (RFC 2177 asks
  // clients to do so within 29 minutes). `idling` is called each time the server accepted IDLE,
  // `arrived` each time it says the folder holds a new message (an untagged EXISTS).
  // Returns normally only when cancelled.
  Result<void> watch(const std::function<void()>& idling, const std::function<void()>& arrived,
                     std::chrono::milliseconds renew = std::chrono::minutes(25));

 private:
  Result<void> send(const std::string& line);
  // The next line from the server (without CRLF), waiting up to `wait`; "" with no line by then.
  Result<std::string> read_line(std::chrono::milliseconds wait);
  // Reads until the tagged answer to `tag`; its OK, or the server's NO/BAD as an error.
  Result<std::string> until_tagged(const std::string& tag);
  bool cancelled() const;

  ImapAccount account_;
  CurlHandle curl_;
  std::string buffer_;  // read but not yet returned as lines
  int next_tag_ = 1;
};

}  // namespace gongdan::email
