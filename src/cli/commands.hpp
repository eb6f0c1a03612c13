// The subcommands of the gongdan executable. Each returns the process exit code.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/config.hpp"

namespace gongdan::cli {

// Adds --data and --config to a subcommand.
void add_data_options(CLI::App& command, ConfigFlags& flags);

// Says why a command failed on standard error ("gongdan: …") and gives its exit status (2 for
// what the operator asked wrongly, 1 for what went wrong).
int command_failed(std::string_view message, int status = 1);
// The exit status of a command that answers its own (0, 1, …) or fails: a failure is said on
// standard error and is 1.
int exit_status_of(const Result<int>& done);

void add_serve_command(CLI::App& root, int& exit_code);
void add_admin_commands(CLI::App& root, int& exit_code);
void add_bench_data_command(CLI::App& root, int& exit_code);
void add_triage_command(CLI::App& root, int& exit_code);
void add_migrate_data_command(CLI::App& root, int& exit_code);
void add_migrate_attachments_command(CLI::App& root, int& exit_code);
void add_mailgate_command(CLI::App& root, int& exit_code);
void add_doctor_command(CLI::App& root, int& exit_code);
void add_import_command(CLI::App& root, int& exit_code);
void add_audit_command(CLI::App& root, int& exit_code);
void add_backup_commands(CLI::App& root, int& exit_code);
void add_keys_command(CLI::App& root, int& exit_code);

}  // namespace gongdan::cli
