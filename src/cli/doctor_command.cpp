// `gongdan doctor`: loads the configuration, runs the checks of cli/doctor.hpp in order and
// prints each finding with what to fix.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/doctor.hpp"
#include "cli/logging.hpp"
#include "store/migrations.hpp"
#include "util/enum_names.hpp"

namespace gongdan::cli {
namespace {

using doctor::Findings;
using doctor::Severity;

// Padded to one width, so the findings line up.
constexpr Named<Severity> kSeverityLabels[] = {
    {Severity::kOk, "ok     "}, {Severity::kWarning, "WARNING"}, {Severity::kError, "ERROR  "}};

void print(const Findings& findings) {
  int warnings = 0, errors = 0;
  for (const auto& f : findings.all()) {
    std::cout << name_in(kSeverityLabels, f.severity, "") << "  " << f.subject << ": " << f.message
              << "\n";
    if (!f.fix.empty()) std::cout << "         fix: " << f.fix << "\n";
    warnings += f.severity == Severity::kWarning;
    errors += f.severity == Severity::kError;
  }
  std::cout << "\n" << errors << " error(s), " << warnings << " warning(s)\n";
}

int run_doctor(const ConfigFlags& flags) {
  Findings findings;
  auto config = load_config(flags);
  if (!config) {
    findings.error("configuration", config.error().message,
                   "correct the file or the GONGDAN_* variable it names (docs/configuration.md)");
    print(findings);
    return findings.exit_code();
  }
  configure_logging("error");
  findings.ok("configuration", flags.config ? "read " + *flags.config
                                            : std::string("defaults, GONGDAN_* and flags"));
  if (config->public_url.empty())
    findings.warn("configuration", "public_url is not set: mail carries no sign-in links",
                  "set public_url to the address people reach the desk at, e.g. "
                  "https://desk.example.com");
  doctor::check_files(*config, findings);
  doctor::check_disk(*config, findings);
  doctor::check_web(*config, findings);
  doctor::check_tls(*config, findings);
  auto db = doctor::check_database(*config, findings);
  if (db) {
    doctor::check_clock(*config, *db, findings);
    doctor::check_keys(*config, *db, findings);
    doctor::check_mail(*config, *db, findings);
    db->close();
  }
  print(findings);
  return findings.exit_code();
}

}  // namespace

void add_doctor_command(CLI::App& root, int& exit_code) {
  auto flags = std::make_shared<ConfigFlags>();
  auto* command = root.add_subcommand(
      "doctor",
      "Check the configuration, database, disk, files, mail servers, clock and web app; "
      "exit 0 when all is well, 1 on warnings, 2 on errors");
  add_data_options(*command, *flags);
  command->add_option("--web-root", flags->web_root, "Directory of the built web app");
  command->callback([flags, &exit_code] { exit_code = run_doctor(*flags); });
}

}  // namespace gongdan::cli
