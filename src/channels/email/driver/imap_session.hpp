// One IMAP conversation over libcurl (imap://, imaps://, STARTTLS): search, fetch and the
// after-fetch actions. One connection is kept for the whole poll (the curl handle is reused).
//
// Contract: not thread-safe; one session per poll. Every call is bounded by the timeouts given.
// fetch() uses BODY[] (libcurl passes literals only for its own FETCH), which sets \Seen; the
// poller therefore marks a message $GongdanPending before fetching it and clears the mark only
// after the message is committed, so a server killed in between finds it again.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/oauth_token.hpp"
#include "util/http_exchange.hpp"
#include "util/result.hpp"

namespace gongdan::email {

struct ImapAccount {
  std::string host;
  std::int64_t port = 993;
  std::string tls = "tls";  // tls, starttls or none
  std::string user;
  std::string password;
  std::string folder = "INBOX";
  long timeout_seconds = 120;
  // Polled during transfers; returning true aborts the command (server shutting down).
  std::function<bool()> cancelled;
  OAuthClient oauth;  // set: AUTHENTICATE XOAUTH2 with its access token instead of the password
};

inline constexpr std::string_view kPendingKeyword = "$GongdanPending";

// The account's address (imap:// or imaps://, host and port, ending in "/") and the libcurl
// options every IMAP connection of it logs in with (TLS, the password or, when `bearer` is set,
// SASL XOAUTH2 with that access token, timeouts), on a CURL* handle: ImapSession's and
// ImapIdle's.
std::string imap_server_url(const ImapAccount& account);
void set_imap_login(void* curl, const ImapAccount& account, const std::string& bearer);
// The access token to log in with: "" for a password account, else the OAuth2 client's.
Result<std::string> imap_bearer(const ImapAccount& account);

class ImapSession {
 public:
  explicit ImapSession(ImapAccount account);
  ImapSession(const ImapSession&) = delete;
  ImapSession& operator=(const ImapSession&) = delete;

  // Logs in and sends NOOP outside any folder: whether the account's login works.
  Result<void> noop();
  // UIDs matching an IMAP SEARCH criterion, such as "UNSEEN".
  Result<std::vector<std::uint64_t>> search(std::string_view criterion);
  Result<std::string> fetch(std::uint64_t uid);
  Result<void> add_flags(std::uint64_t uid, std::string_view flags);
  Result<void> remove_flags(std::uint64_t uid, std::string_view flags);
  // MOVE to `folder` (created first when missing).
  Result<void> move(std::uint64_t uid, std::string_view folder);
  Result<void> expunge();

 private:
  Result<std::string> command(const std::string& url, const std::string& custom);
  std::string folder_url() const;
  ImapAccount account_;
  std::string bearer_;  // the OAuth2 access token this session logs in with
  CurlHandle curl_;
};

}  // namespace gongdan::email
