// `gongdan import csv|zendesk|freshdesk|rt|osticket <path>`: moves another help desk's tickets in.
// Reads the export (cli/import_reading), then hands it to the import service a batch at a time;
// each batch commits with the source's checkpoint, so a run that was stopped resumes where it was.
// On a terminal it shows a progress line (count, rate, time left); elsewhere only the summary.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "cli/import_reading.hpp"
#include "cli/logging.hpp"
#include "services/import_service.hpp"

namespace gongdan::cli {
namespace {

struct ImportArgs {
  std::string path;
  std::string name;
  int batch = 1000;
  bool from_start = false;
  std::string progress = "auto";  // auto (a line on a terminal), bar, lines, none
};

std::string grouped(std::int64_t n) {
  auto s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3)
    s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

std::string duration(double seconds) {
  const auto s = static_cast<std::int64_t>(seconds + 0.5);
  char out[32];
  std::snprintf(out, sizeof out, "%lld:%02lld", static_cast<long long>(s / 60),
                static_cast<long long>(s % 60));
  return out;
}

class Progress {
 public:
  Progress(std::string mode, std::int64_t total, std::int64_t start)
      : total_(total), start_(start), began_(Clock::now()) {
    if (mode == "auto") mode = isatty(STDERR_FILENO) ? "bar" : "none";
    mode_ = std::move(mode);
  }
  void show(std::int64_t done) {
    if (mode_ == "none") return;
    const double seconds = std::chrono::duration<double>(Clock::now() - began_).count();
    const double rate = seconds > 0 ? static_cast<double>(done - start_) / seconds : 0;
    const double left = rate > 0 ? static_cast<double>(total_ - done) / rate : 0;
    std::string line = grouped(done) + " of " + grouped(total_) + " tickets  " +
                       grouped(static_cast<std::int64_t>(rate)) + "/s  " + duration(left) + " left";
    if (mode_ == "bar")
      std::cerr << "\r  " << line << "   " << std::flush;
    else
      std::cerr << "committed " << line << std::endl;
  }
  void done() {
    if (mode_ == "bar") std::cerr << "\n";
  }
  double seconds() const { return std::chrono::duration<double>(Clock::now() - began_).count(); }

 private:
  using Clock = std::chrono::steady_clock;
  std::string mode_;
  std::int64_t total_, start_;
  Clock::time_point began_;
};

void print_problems(const std::vector<ImportProblem>& problems, std::string_view kind) {
  constexpr std::size_t kShown = 50;
  for (std::size_t i = 0; i < problems.size() && i < kShown; ++i)
    std::cerr << kind << ": " << problems[i].where << ": " << problems[i].what << "\n";
  if (problems.size() > kShown)
    std::cerr << "… and " << problems.size() - kShown << " more of the same kind\n";
}

int run_import(const ConfigFlags& flags, ImportFormat format, std::string_view format_name,
               const ImportArgs& args) {
  auto config = load_config(flags);
  if (!config) {
    std::cerr << "gongdan: " << config.error().message << "\n";
    return 2;
  }
  configure_logging("warn");
  if (args.batch < 1 || args.batch > 100000) {
    std::cerr << "gongdan: --batch is a number from 1 to 100000\n";
    return 2;
  }
  auto data = read_export(format, args.path);
  if (!data) {
    std::cerr << "gongdan: " << data.error().message << "\n";
    return 2;
  }
  const std::string source = args.name.empty() ? std::string(format_name) : args.name;
  const auto limit = config->attachment_limit;
  auto app = open_app(*config);
  if (!app) {
    std::cerr << "gongdan: " << app.error().message << "\n";
    return 2;
  }
  services::ImportService importer(*(*app)->db, *(*app)->directory, *(*app)->files, *(*app)->clock);
  services::ImportCounts counts;
  std::vector<ImportProblem> problems = std::move(data->problems), notes;
  if (auto people = importer.import_directory(source, *data, counts); !people) {
    std::cerr << "gongdan: " << people.error().message << "\n";
    return 2;
  }
  auto position = importer.position(source);
  if (!position) {
    std::cerr << "gongdan: " << position.error().message << "\n";
    return 2;
  }
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
  print_problems(notes, "note");
  print_problems(problems, "left out");
  std::cout << source << " in " << duration(progress.seconds()) << ": tickets imported "
            << counts.tickets << ", already there " << counts.already << ", records left out "
            << problems.size() << "; messages " << counts.messages << ", attachments "
            << counts.attachments << "; contacts created " << counts.contacts
            << ", agents created inactive without password " << counts.agents
            << ", people matched by email " << counts.matched << "; organizations created "
            << counts.organizations << "\n";
  return problems.empty() ? 0 : 1;
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
      {"rt", ImportFormat::kRt, "Import the folder of a Request Tracker (REST2) export"},
      {"osticket", ImportFormat::kOsticket, "Import an osTicket database dump (mysqldump)"}};
  for (const auto& [name, format, help] : formats) {
    auto flags = std::make_shared<ConfigFlags>();
    auto args = std::make_shared<ImportArgs>();
    const bool file = format == ImportFormat::kCsv || format == ImportFormat::kOsticket;
    auto* sub = command->add_subcommand(name, help);
    add_data_options(*sub, *flags);
    sub->add_option("path", args->path, file ? "The export's file" : "The export's folder")
        ->required();
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
