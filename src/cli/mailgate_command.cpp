// `gongdan mailgate`: the MTA pipe. Reads one raw message on stdin and posts it to
// /api/v1/mail/inbound (channels/email/driver/mailgate_client), the way Request Tracker's
// rt-mailgate works. The exit code tells the MTA what to do (sysexits.h): 0 delivered (or kept in
// quarantine), 75 EX_TEMPFAIL "keep it and try again" when the server cannot be reached or
// answers 5xx/408/429/401/403 (a server being restarted or a token being fixed must not bounce
// mail), 65 EX_DATAERR for a 4xx that no retry can fix (the message is refused), 64 EX_USAGE for
// bad flags.
//
// The token comes from --token-file (a token on the command line is visible to every local user
// in `ps`), --token, or GONGDAN_MAILGATE_TOKEN. A token file that cannot be read or that others
// may read is a configuration problem an admin fixes, so it keeps the mail too (75).
#include <sysexits.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "channels/email/driver/mailgate_client.hpp"
#include "cli/commands.hpp"

namespace gongdan::cli {
namespace {

struct MailgateFlags {
  email::MailgateTarget target;
  std::string token_file;
};

// Reads the token from `path` into `token`; on failure says why on stderr and returns false.
bool read_token_file(const std::string& path, std::string& token) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::is_regular_file(status)) {
    std::cerr << "gongdan mailgate: cannot read the token file " << path << "\n";
    return false;
  }
  constexpr auto kOthers =
      fs::perms::others_read | fs::perms::others_write | fs::perms::others_exec;
  if ((status.permissions() & kOthers) != fs::perms::none) {
    std::cerr << "gongdan mailgate: the token file " << path
              << " is open to other users; make it 0600 or 0640 (chmod o= " << path << ")\n";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    std::cerr << "gongdan mailgate: cannot read the token file " << path << "\n";
    return false;
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  if (text.empty() || text.find_first_of(" \t\r\n") != std::string::npos) {
    std::cerr << "gongdan mailgate: the token file " << path << " does not hold one token\n";
    return false;
  }
  token = std::move(text);
  return true;
}

int mailgate(MailgateFlags all) {
  auto& flags = all.target;
  if (!all.token_file.empty()) {
    if (!flags.token.empty()) {
      std::cerr << "gongdan mailgate: give --token or --token-file, not both\n";
      return EX_USAGE;
    }
    if (!read_token_file(all.token_file, flags.token)) return EX_TEMPFAIL;
  }
  if (flags.token.empty()) {
    if (const char* env = std::getenv("GONGDAN_MAILGATE_TOKEN")) flags.token = env;
  }
  if (flags.url.empty() || flags.token.empty()) {
    std::cerr
        << "gongdan mailgate: --url and --token-file (or --token, or GONGDAN_MAILGATE_TOKEN) are "
           "required\n";
    return EX_USAGE;
  }
  for (const auto* id : {&flags.department, &flags.mailbox})
    for (char c : *id)
      if (c < '0' || c > '9') {
        std::cerr << "gongdan mailgate: --department and --mailbox take ids\n";
        return EX_USAGE;
      }
  std::string message((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  if (std::cin.bad()) {
    std::cerr << "gongdan mailgate: cannot read the message on stdin\n";
    return EX_TEMPFAIL;
  }
  if (message.empty()) {
    std::cerr << "gongdan mailgate: no message on stdin\n";
    return EX_DATAERR;
  }
  const auto answer = email::post_inbound_mail(flags, message);
  if (answer.verdict == email::MailgateVerdict::kDelivered) return EX_OK;
  std::cerr << "gongdan mailgate: " << answer.explanation << "\n";
  return answer.verdict == email::MailgateVerdict::kRetryLater ? EX_TEMPFAIL : EX_DATAERR;
}

}  // namespace

void add_mailgate_command(CLI::App& root, int& exit_code) {
  auto all = std::make_shared<MailgateFlags>();
  auto* flags = &all->target;
  auto* command = root.add_subcommand(
      "mailgate", "Post one raw message from stdin to a server (for an MTA pipe transport)");
  command->add_option("--url", flags->url, "The server's base URL, e.g. https://desk.example.com")
      ->required();
  command->add_option("--token-file", all->token_file,
                      "File holding the API token with the mail scope (mode 0600 or 0640)");
  command->add_option("--token", flags->token,
                      "API token with the mail scope (or GONGDAN_MAILGATE_TOKEN); visible in ps, "
                      "prefer --token-file");
  command->add_option("--department", flags->department, "Department id for new tickets");
  command->add_option("--mailbox", flags->mailbox,
                      "Id of the mailbox this address belongs to (its department; trusted "
                      "headers)");
  command->add_option("--timeout", flags->timeout_seconds, "Seconds to wait for the server");
  command->callback([all, &exit_code] { exit_code = mailgate(*all); });
}

}  // namespace gongdan::cli
