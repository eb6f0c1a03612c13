// `gongdan import csv|zendesk|freshdesk|rt|osticket <path>`: moves another help desk's tickets in.
// Reads the export (cli/import_reading), then hands it to the import service a batch at a time;
// each batch commits with the source's checkpoint, so a run that was stopped resumes where it was.
// On a terminal it shows a progress line (count, rate, time left); elsewhere only the summary.
// `gongdan import rt --url` reads a running Request Tracker instead (cli/import_rt_rest).
#include <cstdlib>
#include <iostream>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "cli/import_reading.hpp"
#include "cli/import_rt_rest.hpp"
#include "cli/import_run.hpp"
#include "cli/logging.hpp"
#include "services/import_service.hpp"

namespace gongdan::cli {
namespace {

int run_import(const ConfigFlags& flags, ImportFormat format, std::string_view format_name,
               const ImportArgs& args) {
  auto config = load_config(flags);
  if (!config) return command_failed(config.error().message, 2);
  configure_logging("warn");
  if (args.batch < 1 || args.batch > 100000) {
    std::cerr << "gongdan: --batch is a number from 1 to 100000\n";
    return 2;
  }
  if (format == ImportFormat::kRt && args.path.empty() == args.url.empty()) {
    std::cerr << "gongdan: import rt reads either an export's folder or --url, one of them\n";
    return 2;
  }
  if (!args.url.empty()) {
    auto token = args.token;
    if (const char* env = std::getenv("GONGDAN_RT_TOKEN"); token.empty() && env) token = env;
    if (token.empty()) {
      std::cerr << "gongdan: --url needs RT's auth token: --token or GONGDAN_RT_TOKEN\n";
      return 2;
    }
    return run_rt_rest_import(*config, format_name, args, token);
  }
  auto data = read_export(format, args.path);
  if (!data) return command_failed(data.error().message, 2);
  const std::string source = args.name.empty() ? std::string(format_name) : args.name;
  const auto limit = config->attachment_limit;
  auto app = open_app(*config);
  if (!app) return command_failed(app.error().message, 2);
  services::ImportService importer(*(*app)->db, *(*app)->directory, *(*app)->files, *(*app)->clock);
  services::ImportCounts counts;
  std::vector<ImportProblem> problems = std::move(data->problems), notes;
  if (auto people = importer.import_directory(source, *data, counts); !people)
    return command_failed(people.error().message, 2);
  auto position = importer.position(source);
  if (!position) return command_failed(position.error().message, 2);
  const auto total = static_cast<std::int64_t>(data->tickets.size());
  std::int64_t at = args.from_start ? 0 : std::min(*position, total);
  if (at > 0 && at < total)
    std::cerr << "resuming " << source << " at ticket " << grouped(at + 1) << " of "
              << grouped(total) << "\n";
  counts.already += at;
  Progress progress(args.progress, total, at);
  const auto folder = export_folder(format, args.path);
  while (at < total) {
    const auto end = std::min(total, at + args.batch);
    std::span<ImportTicket> batch(data->tickets.data() + at, static_cast<std::size_t>(end - at));
    for (auto& t : batch) read_attachments(t, folder, limit, notes);
    if (auto written = importer.import_tickets(source, batch, end, counts, problems); !written) {
      progress.done();
      std::cerr << "gongdan: the batch of tickets " << at + 1 << " to " << end
                << " was not imported: " << written.error().message << "\n";
      return 2;
    }
    for (auto& t : batch) t.messages.clear();  // the attachments' bytes, mostly
    at = end;
    progress.show(at);
  }
  progress.done();
  return report_import(source, progress, counts, notes, problems);
}

}  // namespace

void add_import_command(CLI::App& root, int& exit_code) {
  auto* command = root.add_subcommand(
      "import", "Move tickets in from another help desk's export (docs/import.md)");
  command->require_subcommand(1);
  struct Format {
    const char* name;
    ImportFormat format;
    const char* help;
  };
  const Format formats[] = {
      {"csv", ImportFormat::kCsv, "Import the documented CSV format"},
      {"zendesk", ImportFormat::kZendesk, "Import the folder of a Zendesk export"},
      {"freshdesk", ImportFormat::kFreshdesk, "Import the folder of a Freshdesk export"},
      {"rt", ImportFormat::kRt, "Import a Request Tracker: the folder of a REST2 export, or --url"},
      {"osticket", ImportFormat::kOsticket, "Import an osTicket database dump (mysqldump)"}};
  for (const auto& [name, format, help] : formats) {
    auto flags = std::make_shared<ConfigFlags>();
    auto args = std::make_shared<ImportArgs>();
    const bool file = format == ImportFormat::kCsv || format == ImportFormat::kOsticket;
    auto* sub = command->add_subcommand(name, help);
    add_data_options(*sub, *flags);
    auto* path =
        sub->add_option("path", args->path, file ? "The export's file" : "The export's folder");
    if (format == ImportFormat::kRt) {
      sub->add_option("--url", args->url,
                      "Read a running RT over REST2 instead: https://rt.example.com/REST/2.0");
      sub->add_option("--token", args->token,
                      "RT's auth token for --url (or the environment's GONGDAN_RT_TOKEN)");
    } else {
      path->required();
    }
    sub->add_option(
        "--name", args->name,
        std::string("The import's name; its ids are unique within it (default ") + name + ")");
    sub->add_option("--batch", args->batch, "Tickets per transaction (default 1000)");
    sub->add_flag("--from-start", args->from_start,
                  "Go over every ticket again, not from the checkpoint (imported ones are "
                  "still skipped)");
    sub->add_option("--progress", args->progress,
                    "auto (a line on a terminal), bar, lines (one per batch) or none")
        ->check(CLI::IsMember({"auto", "bar", "lines", "none"}));
    sub->callback([flags, args, format, name, &exit_code] {
      exit_code = run_import(*flags, format, name, *args);
    });
  }
}

}  // namespace gongdan::cli
