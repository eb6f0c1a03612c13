// `gongdan triage train`: trains every field's triage model now, as the scheduled job does, and
// prints what each learnt from and how it did on the held-out tickets. `gongdan triage similar`:
// the similar-ticket search asked for held-out tickets, its hit rate and latency. bench/assist.sh
// reads both.
#include <algorithm>
#include <chrono>
#include <iostream>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "cli/logging.hpp"
#include "domain/triage.hpp"
#include "store/tickets_store.hpp"

namespace gongdan::cli {
namespace {

Result<std::unique_ptr<App>> open_quietly(const ConfigFlags& flags) {
  GONGDAN_ASSIGN(auto config, load_config(flags));
  configure_logging("warn");
  return open_app(config);
}

int train(const ConfigFlags& flags) {
  auto app = open_quietly(flags);
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

// What bench-data's tickets are about: the subject without its " #12345".
std::string_view topic_of(std::string_view subject) {
  return subject.substr(0, std::min(subject.size(), subject.rfind(" #")));
}

// Held-out tickets among the first ones, up to `wanted`.
Result<std::vector<Ticket>> held_out_tickets(App& app, int wanted) {
  std::vector<Ticket> out;
  GONGDAN_TRY(app.db->read([&](store::Connection& c) -> Result<void> {
    for (std::int64_t from = 1; static_cast<int>(out.size()) < wanted; from += 1000) {
      std::vector<std::int64_t> ids;
      for (std::int64_t id = from; id < from + 1000; ++id)
        if (held_out(id)) ids.push_back(id);
      GONGDAN_ASSIGN(auto found, store::find_tickets(c, ids));
      if (found.empty()) break;
      for (auto id : ids)
        if (auto it = found.find(id); it != found.end() && static_cast<int>(out.size()) < wanted)
          out.push_back(std::move(it->second));
    }
    return {};
  }));
  return out;
}

// Top-1 hit: the first similar ticket outside the held-out tenth is about the same topic (or in
// the same department); top-5: any of the first five is about it.
int similar(const ConfigFlags& flags, int queries) {
  auto app = open_quietly(flags);
  if (!app) {
    std::cerr << "gongdan: " << app.error().message << "\n";
    return 1;
  }
  auto asked = held_out_tickets(**app, queries);
  if (!asked) {
    std::cerr << "gongdan: " << asked.error().message << "\n";
    return 1;
  }
  Viewer admin{.user_id = 1, .role = Role::kAdmin};
  int top1 = 0, top5 = 0, department = 0, answered = 0;
  std::vector<double> ms;
  for (const auto& t : *asked) {
    const auto started = std::chrono::steady_clock::now();
    auto found = (*app)->similar->solved_like(admin, t.subject, t.tags, t.id, 10);
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count());
    if (!found) {
      std::cerr << "gongdan: " << found.error().message << "\n";
      return 1;
    }
    std::erase_if(*found, [](const auto& s) { return held_out(s.ticket.id); });
    if (found->empty()) continue;
    ++answered;
    const auto& first = found->front().ticket;
    top1 += topic_of(first.subject) == topic_of(t.subject);
    department += first.department_id == t.department_id;
    top5 += std::any_of(
        found->begin(), found->begin() + std::min<std::size_t>(5, found->size()),
        [&](const auto& s) { return topic_of(s.ticket.subject) == topic_of(t.subject); });
  }
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) {
    return ms.empty() ? 0 : ms[static_cast<std::size_t>(q * (ms.size() - 1))];
  };
  const double n = std::max<std::size_t>(1, asked->size());
  std::cout << "queries\tanswered\ttop1_topic\ttop5_topic\ttop1_department\tp50_ms\tp99_ms\n"
            << asked->size() << "\t" << answered << "\t" << top1 / n << "\t" << top5 / n << "\t"
            << department / n << "\t" << at(0.5) << "\t" << at(0.99) << "\n";
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
  auto* similar_command = triage->add_subcommand(
      "similar", "Ask the similar-ticket search for held-out tickets and print its hit rate");
  add_data_options(*similar_command, *flags);
  auto queries = std::make_shared<int>(1000);
  similar_command->add_option("--queries", *queries, "How many held-out tickets (default 1000)");
  similar_command->callback(
      [flags, queries, &exit_code] { exit_code = similar(*flags, *queries); });
}

}  // namespace gongdan::cli
