#include "channels/email/driver/imap_session.hpp"

#include <curl/curl.h>

#include <algorithm>

#include "channels/email/driver/oauth_access.hpp"

namespace gongdan::email {
namespace {

std::size_t append_to_string(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

int check_cancelled(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancelled = static_cast<const std::function<bool()>*>(user);
  return (*cancelled && (*cancelled)()) ? 1 : 0;
}

// Folder names are checked to [A-Za-z0-9 ._/-] when saved; only the space needs escaping.
std::string url_path(std::string_view folder) {
  std::string out;
  for (char c : folder) {
    if (c == ' ')
      out += "%20";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string imap_server_url(const ImapAccount& account) {
  const std::string scheme = account.tls == "tls" ? "imaps://" : "imap://";
  return scheme + account.host + ":" + std::to_string(account.port) + "/";
}

Result<std::string> imap_bearer(const ImapAccount& account) {
  if (account.oauth.empty()) return std::string();
  return oauth_access_token(account.oauth);
}

void set_imap_login(void* handle, const ImapAccount& account, const std::string& bearer) {
  auto* curl = static_cast<CURL*>(handle);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "imap,imaps");
  set_mail_login(curl, account.user, account.password, bearer);
  curl_easy_setopt(curl, CURLOPT_USE_SSL,
                   account.tls == "starttls" ? static_cast<long>(CURLUSESSL_ALL)
                                             : static_cast<long>(CURLUSESSL_NONE));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 20L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
}

ImapSession::ImapSession(ImapAccount account) : account_(std::move(account)) {}

std::string ImapSession::folder_url() const {
  return imap_server_url(account_) + url_path(account_.folder);
}

Result<std::string> ImapSession::command(const std::string& url, const std::string& custom) {
  auto* curl = static_cast<CURL*>(curl_.get());
  if (!curl) return fail(ErrorCode::kUnavailable, "libcurl could not start");
  if (bearer_.empty() && !account_.oauth.empty()) {
    GONGDAN_ASSIGN(bearer_, imap_bearer(account_));
  }
  std::string out;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  set_imap_login(curl, account_, bearer_);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, custom.empty() ? nullptr : custom.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_to_string);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, account_.timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, check_cancelled);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &account_.cancelled);
  const CURLcode rc = curl_easy_perform(curl);
  // A token the server refused is not used again: the next session asks for a new one.
  if (rc == CURLE_LOGIN_DENIED && !bearer_.empty()) forget_oauth_access_token(account_.oauth);
  if (rc != CURLE_OK)
    return fail(ErrorCode::kUnavailable,
                "IMAP " + (custom.empty() ? std::string("FETCH") : custom.substr(0, 40)) + ": " +
                    curl_easy_strerror(rc));
  return out;
}

Result<void> ImapSession::noop() {
  GONGDAN_TRY(command(imap_server_url(account_), "NOOP"));
  return {};
}

Result<std::vector<std::uint64_t>> ImapSession::search(std::string_view criterion) {
  GONGDAN_ASSIGN(auto answer, command(folder_url(), "UID SEARCH " + std::string(criterion)));
  std::vector<std::uint64_t> uids;
  const auto at = answer.find("* SEARCH");
  if (at == std::string::npos) return uids;
  const auto end = answer.find('\n', at);
  std::uint64_t value = 0;
  bool in_number = false;
  for (std::size_t i = at + 8; i < std::min(end, answer.size()); ++i) {
    const char c = answer[i];
    if (c >= '0' && c <= '9') {
      value = value * 10 + static_cast<std::uint64_t>(c - '0');
      in_number = true;
    } else {
      if (in_number) uids.push_back(value);
      value = 0;
      in_number = false;
    }
  }
  if (in_number) uids.push_back(value);
  return uids;
}

Result<std::string> ImapSession::fetch(std::uint64_t uid) {
  return command(folder_url() + "/;UID=" + std::to_string(uid), "");
}

Result<void> ImapSession::add_flags(std::uint64_t uid, std::string_view flags) {
  GONGDAN_TRY(command(folder_url(), "UID STORE " + std::to_string(uid) + " +FLAGS.SILENT (" +
                                        std::string(flags) + ")"));
  return {};
}

Result<void> ImapSession::remove_flags(std::uint64_t uid, std::string_view flags) {
  GONGDAN_TRY(command(folder_url(), "UID STORE " + std::to_string(uid) + " -FLAGS.SILENT (" +
                                        std::string(flags) + ")"));
  return {};
}

Result<void> ImapSession::move(std::uint64_t uid, std::string_view folder) {
  const std::string quoted = "\"" + std::string(folder) + "\"";
  auto moved = command(folder_url(), "UID MOVE " + std::to_string(uid) + " " + quoted);
  if (moved) return {};
  (void)command(folder_url(), "CREATE " + quoted);  // fails harmlessly when it exists
  GONGDAN_TRY(command(folder_url(), "UID MOVE " + std::to_string(uid) + " " + quoted));
  return {};
}

Result<void> ImapSession::expunge() {
  GONGDAN_TRY(command(folder_url(), "EXPUNGE"));
  return {};
}

}  // namespace gongdan::email
