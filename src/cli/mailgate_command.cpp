// `gongdan mailgate`: the MTA pipe. Reads one raw message on stdin and posts it to
// /api/v1/mail/inbound (channels/email/driver/mailgate_client), the way Request Tracker's
// rt-mailgate works. The exit code tells the MTA what to do (sysexits.h): 0 delivered (or kept in
// quarantine), 75 EX_TEMPFAIL "keep it and try again" when the server cannot be reached or
// answers 5xx/408/429/401/403 (a server being restarted or a token being fixed must not bounce
// mail), 65 EX_DATAERR for a 4xx that no retry can fix (the message is refused), 64 EX_USAGE for
// bad flags.
#include <sysexits.h>

#include <cstdlib>
#include <iostream>
#include <iterator>
#include <string>

#include "channels/email/driver/mailgate_client.hpp"
#include "cli/commands.hpp"

namespace gongdan::cli {
namespace {

int mailgate(email::MailgateTarget flags) {
  if (flags.token.empty()) {
    if (const char* env = std::getenv("GONGDAN_MAILGATE_TOKEN")) flags.token = env;
  }
  if (flags.url.empty() || flags.token.empty()) {
    std::cerr << "gongdan mailgate: --url and --token (or GONGDAN_MAILGATE_TOKEN) are required\n";
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
  auto flags = std::make_shared<email::MailgateTarget>();
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
