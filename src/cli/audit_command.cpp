// gongdan audit verify: walks the audit log's hash chain and says whether any row was edited or
// removed since it was written (services/audit.hpp says what it can and cannot find).
#include <iostream>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "cli/logging.hpp"

namespace gongdan::cli {
namespace {

int verify(const ConfigFlags& flags) {
  auto config = load_config(flags);
  if (!config) return command_failed(config.error().message, 2);
  configure_command_logging(config->log_level);
  // Reads only: never creates or migrates the database it is asked to judge.
  auto app = open_app(std::move(*config), SystemClock::instance(), Schema::kExisting);
  if (!app) return command_failed(app.error().message);
  auto check = (*app)->audit->verify(services::Principal::system());
  if (!check) return command_failed(check.error().message);
  for (const auto& problem : check->problems) std::cout << "TAMPERED: " << problem << "\n";
  std::cout << (check->problems.empty() ? "audit log intact: " : "audit log NOT intact: ")
            << check->chained_rows << " chained rows";
  if (check->older_rows > 0)
    std::cout << " (and " << check->older_rows << " older rows from before the chain)";
  std::cout << ", newest row " << check->last_id << ", head " << check->head_hash << "\n";
  return check->problems.empty() ? 0 : 1;
}

}  // namespace

void add_audit_command(CLI::App& root, int& exit_code) {
  auto* audit = root.add_subcommand("audit", "Check the audit log");
  audit->require_subcommand(1);
  auto flags = std::make_shared<ConfigFlags>();
  auto* verify_command = audit->add_subcommand(
      "verify", "Check the audit log's hash chain; exit 1 naming each edited or removed row");
  add_data_options(*verify_command, *flags);
  verify_command->callback([flags, &exit_code] { exit_code = verify(*flags); });
}

}  // namespace gongdan::cli
