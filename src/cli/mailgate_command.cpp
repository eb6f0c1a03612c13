// `gongdan mailgate`: the MTA pipe. Reads one raw message on stdin and posts it to
// /api/v1/mail/inbound, the way Request Tracker's rt-mailgate works. The exit code tells the MTA
// what to do (sysexits.h): 0 delivered (or kept in quarantine), 75 EX_TEMPFAIL "keep it and try
// again" when the server cannot be reached or answers 5xx/408/429/401/403 (a server being
// restarted or a token being fixed must not bounce mail), 65 EX_DATAERR for a 4xx that no retry
// can fix (the message is refused), 64 EX_USAGE for bad flags.
#include <curl/curl.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <string>

#include "cli/commands.hpp"

namespace gongdan::cli {
namespace {

constexpr int kExOk = 0;
constexpr int kExUsage = 64;
constexpr int kExDataErr = 65;
constexpr int kExTempFail = 75;

struct MailgateFlags {
  std::string url;
  std::string token;
  std::string department;
  std::string mailbox;
  long timeout_seconds = 120;
};

std::size_t collect_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::string inbound_url(std::string base, const std::string& department,
                        const std::string& mailbox) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.find("/api/v1/mail/inbound") == std::string::npos) base += "/api/v1/mail/inbound";
  if (!department.empty())
    base +=
        (base.find('?') == std::string::npos ? "?" : "&") + std::string("department=") + department;
  if (!mailbox.empty())
    base += (base.find('?') == std::string::npos ? "?" : "&") + std::string("mailbox=") + mailbox;
  return base;
}

int mailgate(MailgateFlags flags) {
  if (flags.token.empty()) {
    if (const char* env = std::getenv("GONGDAN_MAILGATE_TOKEN")) flags.token = env;
  }
  if (flags.url.empty() || flags.token.empty()) {
    std::cerr << "gongdan mailgate: --url and --token (or GONGDAN_MAILGATE_TOKEN) are required\n";
    return kExUsage;
  }
  for (const auto* id : {&flags.department, &flags.mailbox})
    for (char c : *id)
      if (c < '0' || c > '9') {
        std::cerr << "gongdan mailgate: --department and --mailbox take ids\n";
        return kExUsage;
      }
  std::string message((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  if (std::cin.bad()) {
    std::cerr << "gongdan mailgate: cannot read the message on stdin\n";
    return kExTempFail;
  }
  if (message.empty()) {
    std::cerr << "gongdan mailgate: no message on stdin\n";
    return kExDataErr;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL* curl = curl_easy_init();
  if (!curl) return kExTempFail;
  const std::string url = inbound_url(flags.url, flags.department, flags.mailbox);
  const std::string auth = "Authorization: Bearer " + flags.token;
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, auth.c_str());
  headers = curl_slist_append(headers, "Content-Type: message/rfc822");
  headers = curl_slist_append(headers, "Expect:");
  std::string answer;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, message.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, flags.timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  const CURLcode sent = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (sent != CURLE_OK) {
    std::cerr << "gongdan mailgate: cannot reach " << url << ": " << curl_easy_strerror(sent)
              << " (the MTA will retry)\n";
    return kExTempFail;
  }
  if (status >= 200 && status < 300) return kExOk;
  std::cerr << "gongdan mailgate: the server answered " << status << ": " << answer << "\n";
  if (status >= 500 || status == 408 || status == 429 || status == 401 || status == 403)
    return kExTempFail;
  return kExDataErr;
}

}  // namespace

void add_mailgate_command(CLI::App& root, int& exit_code) {
  auto flags = std::make_shared<MailgateFlags>();
  auto* command = root.add_subcommand(
      "mailgate", "Post one raw message from stdin to a server (for an MTA pipe transport)");
  command->add_option("--url", flags->url, "The server's base URL, e.g. https://desk.example.com")
      ->required();
  command->add_option("--token", flags->token,
                      "API token with the mail scope (or GONGDAN_MAILGATE_TOKEN)");
  command->add_option("--department", flags->department, "Department id for new tickets");
  command->add_option("--mailbox", flags->mailbox,
                      "Id of the mailbox this address belongs to (its department; trusted "
                      "headers)");
  command->add_option("--timeout", flags->timeout_seconds, "Seconds to wait for the server");
  command->callback([flags, &exit_code] { exit_code = mailgate(*flags); });
}

}  // namespace gongdan::cli
