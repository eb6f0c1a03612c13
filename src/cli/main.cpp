// gongdan: one executable for the server and the operator's commands.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App root{"gongdan (工单): a self-hosted help desk"};
  root.require_subcommand(1);
  int exit_code = 0;
  gongdan::cli::add_serve_command(root, exit_code);
  gongdan::cli::add_admin_commands(root, exit_code);
  gongdan::cli::add_bench_data_command(root, exit_code);
  gongdan::cli::add_triage_command(root, exit_code);
  gongdan::cli::add_migrate_data_command(root, exit_code);
  gongdan::cli::add_migrate_attachments_command(root, exit_code);
  gongdan::cli::add_mailgate_command(root, exit_code);
  gongdan::cli::add_doctor_command(root, exit_code);
  gongdan::cli::add_import_command(root, exit_code);
  gongdan::cli::add_audit_command(root, exit_code);
  gongdan::cli::add_backup_commands(root, exit_code);
  gongdan::cli::add_keys_command(root, exit_code);
  CLI11_PARSE(root, argc, argv);
  return exit_code;
}
