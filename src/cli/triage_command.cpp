// `gongdan triage train`: trains every field's triage model now, as the scheduled job does, and
// prints what each learnt from and how it did on the held-out tickets (bench/assist.sh reads it).
#include <iostream>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "cli/logging.hpp"

namespace gongdan::cli {
namespace {

int train(const ConfigFlags& flags) {
  auto config = load_config(flags);
  if (!config) {
    std::cerr << "gongdan: " << config.error().message << "\n";
    return 2;
  }
  configure_logging("warn");
  auto app = open_app(*config);
  if (!app) {
    std::cerr << "gongdan: " << app.error().message << "\n";
    return 1;
  }
  auto reports = (*app)->triage->train_all();
  if (!reports) {
    std::cerr << "gongdan: " << reports.error().message << "\n";
    return 1;
  }
  std::cout << "field\texamples\theld_out\taccuracy\ttrain_ms\tpredict_us\n";
  for (const auto& r : *reports) {
    if (!r.trained) {
      std::cout << r.field << "\t" << r.examples << "\t" << r.held_out << "\t-\t-\t-\t("
                << r.skipped << ")\n";
      continue;
    }
    std::cout << r.field << "\t" << r.examples << "\t" << r.held_out << "\t" << r.accuracy << "\t"
              << r.duration_ms << "\t" << r.predict_microseconds << "\n";
  }
  return 0;
}

}  // namespace

void add_triage_command(CLI::App& root, int& exit_code) {
  auto flags = std::make_shared<ConfigFlags>();
  auto* triage = root.add_subcommand("triage", "The triage models");
  triage->require_subcommand(1);
  auto* command = triage->add_subcommand(
      "train", "Train every field's model on the solved tickets now and print how each did");
  add_data_options(*command, *flags);
  command->callback([flags, &exit_code] { exit_code = train(*flags); });
}

}  // namespace gongdan::cli
