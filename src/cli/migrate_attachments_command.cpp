// gongdan migrate-attachments --to database|files: moves the attachment store between the data
// directory and the database (attachment_storage, services/attachment_rows.hpp). Blobs are
// copied as stored (still encrypted; no key is needed) and each is read back before the next;
// the source stays unless --remove-source, which deletes it only after every blob was copied.
#include <fmt/format.h>

#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "cli/logging.hpp"
#include "services/attachment_rows.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace gongdan::cli {
namespace {

struct MigrateAttachmentsFlags {
  ConfigFlags config;
  std::string to;
  bool remove_source = false;
};

Result<int> migrate_attachments(const MigrateAttachmentsFlags& flags) {
  if (flags.to != "database" && flags.to != "files")
    return fail(ErrorCode::kInvalidArgument, "--to must be database or files", "to");
  GONGDAN_ASSIGN(auto config, load_config(flags.config));
  configure_command_logging(config.log_level);
  GONGDAN_ASSIGN(auto db, open_database(config, Schema::kMigrate));
  GONGDAN_TRY(store::migrate(*db));  // the blob tables (migration 51)
  services::PosixFileSystem directory;
  services::DatabaseFileSystem rows(*db);
  const bool to_database = flags.to == "database";
  services::FileSystem& from = to_database ? static_cast<services::FileSystem&>(directory) : rows;
  services::FileSystem& to = to_database ? static_cast<services::FileSystem&>(rows) : directory;
  const services::AttachmentFiles layout(config.data);
  std::cout << (to_database
                    ? "copying attachment files from " + layout.root().string() +
                          " into the database…"
                    : "copying attachments from the database into " + layout.root().string() + "…")
            << std::endl;
  GONGDAN_ASSIGN(auto counts, services::copy_blobs(
                                  from, to, layout.root(), [](const services::BlobCopyCounts& c) {
                                    if ((c.copied + c.present) % 1000 == 0)
                                      std::cout << "  " << c.copied + c.present << "…" << std::endl;
                                  }));
  std::cout << fmt::format("{} copied and read back, {} already there\n", counts.copied,
                           counts.present);
  if (flags.remove_source) {
    std::int64_t removed = 0;
    GONGDAN_TRY(from.for_each_file(layout.root(), [&](const std::string& name) -> Result<void> {
      if (!services::is_sha256_hex(name)) return {};
      if (!to.exists(layout.path_of(name)))  // arrived after the copy: keep it
        return {};
      GONGDAN_ASSIGN(bool gone, from.remove(layout.path_of(name)));
      removed += gone;
      return {};
    }));
    std::cout << removed << " removed from the " << (to_database ? "data directory" : "database")
              << "\n";
  }
  std::cout << "now set attachment_storage = \"" << flags.to
            << "\" on every node and restart them (docs/scaling.md)\n";
  db->close();
  return 0;
}

}  // namespace

void add_migrate_attachments_command(CLI::App& root, int& exit_code) {
  auto flags = std::make_shared<MigrateAttachmentsFlags>();
  auto* command = root.add_subcommand(
      "migrate-attachments",
      "Move attachment files between the data directory and the database (attachment_storage)");
  add_data_options(*command, flags->config);
  command->add_option("--to", flags->to, "database or files")->required();
  command->add_flag("--remove-source", flags->remove_source,
                    "Delete each blob from where it was once every blob is copied and read back");
  command->callback(
      [flags, &exit_code] { exit_code = exit_status_of(migrate_attachments(*flags)); });
}

}  // namespace gongdan::cli
