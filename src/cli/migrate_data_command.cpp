// gongdan migrate-data --from sqlite:PATH --to postgres://…: moves an install (tickets, history,
// accounts, settings; attachments stay in the data directory) to PostgreSQL and proves it.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "services/search_reindex.hpp"
#include "store/copy_data.hpp"
#include "store/migrations.hpp"
#include "store/postgres/pg_database.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace gongdan::cli {
namespace {

struct MigrateDataFlags {
  std::string from;
  std::string to;
};

Result<std::string> sqlite_path(const std::string& from) {
  constexpr std::string_view kScheme = "sqlite:";
  if (!from.starts_with(kScheme))
    return fail(ErrorCode::kInvalidArgument, "--from must be sqlite:PATH", "from");
  std::filesystem::path path = from.substr(kScheme.size());
  if (std::filesystem::is_directory(path)) path /= "gongdan.db";  // a data directory
  if (!std::filesystem::is_regular_file(path))
    return fail(ErrorCode::kNotFound, "no SQLite database at " + path.string(), "from");
  return path.string();
}

Result<int> migrate_data(const MigrateDataFlags& flags) {
  GONGDAN_ASSIGN(auto path, sqlite_path(flags.from));
  if (!store::is_postgres_url(flags.to))
    return fail(ErrorCode::kInvalidArgument, "--to must be a postgres:// URL", "to");
  store::SqliteOptions source_options;
  source_options.path = path;
  GONGDAN_ASSIGN(auto source, store::SqliteDatabase::open(source_options));
  store::PostgresOptions target_options;
  target_options.url = flags.to;
  GONGDAN_ASSIGN(auto target, store::PostgresDatabase::open(target_options));
  GONGDAN_ASSIGN(int source_version, store::schema_version(*source));
  if (source_version != store::latest_schema_version())
    return fail(ErrorCode::kConflict,
                fmt::format("the source is at schema {} and this gongdan at {}: run `gongdan "
                            "migrate` on it first",
                            source_version, store::latest_schema_version()));
  GONGDAN_TRY(store::migrate(*target));
  GONGDAN_ASSIGN(auto tables, store::copyable_tables(*source));
  std::cout << "copying " << tables.size() << " tables…" << std::endl;
  GONGDAN_TRY(store::copy_tables(*source, *target, tables));
  GONGDAN_ASSIGN(auto indexed, services::rebuild_search_index(*target));
  std::cout << fmt::format("search index rebuilt: {} tickets, {} messages, {} contacts\n",
                           indexed.tickets, indexed.messages, indexed.contacts);
  GONGDAN_ASSIGN(auto checks, store::compare_tables(*source, *target, tables));
  int mismatches = 0;
  std::cout << fmt::format("{:<28} {:>12} {:>12}  {}\n", "table", "sqlite", "postgres", "checksum");
  for (const auto& check : checks) {
    if (!check.matches()) ++mismatches;
    std::cout << fmt::format("{:<28} {:>12} {:>12}  {}\n", check.table, check.source_rows,
                             check.target_rows,
                             check.matches() ? check.source_checksum : "MISMATCH");
  }
  source->close();
  target->close();
  if (mismatches)
    return command_failed(std::to_string(mismatches) + " tables differ after the copy");
  std::cout << "all tables match; start gongdan with --database "
            << "<the same URL>\n";
  return 0;
}

}  // namespace

void add_migrate_data_command(CLI::App& root, int& exit_code) {
  auto flags = std::make_shared<MigrateDataFlags>();
  auto* command = root.add_subcommand(
      "migrate-data", "Move an install from SQLite to PostgreSQL, then verify every table");
  command->add_option("--from", flags->from, "sqlite:PATH (a data directory or gongdan.db)")
      ->required();
  command->add_option("--to", flags->to, "postgres://… URL of a new, empty database")->required();
  command->callback([flags, &exit_code] { exit_code = exit_status_of(migrate_data(*flags)); });
}

}  // namespace gongdan::cli
