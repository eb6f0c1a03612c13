#include "cli/import_run.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace gongdan::cli {
namespace {

std::string duration(double seconds) {
  const auto s = static_cast<std::int64_t>(seconds + 0.5);
  char out[32];
  std::snprintf(out, sizeof out, "%lld:%02lld", static_cast<long long>(s / 60),
                static_cast<long long>(s % 60));
  return out;
}

}  // namespace

std::string grouped(std::int64_t n) {
  auto s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3)
    s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

Progress::Progress(std::string mode, std::int64_t total, std::int64_t start)
    : total_(total), start_(start), began_(Clock::now()) {
  if (mode == "auto") mode = isatty(STDERR_FILENO) ? "bar" : "none";
  mode_ = std::move(mode);
}

void Progress::show(std::int64_t done) {
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

void Progress::done() {
  if (mode_ == "bar") std::cerr << "\n";
}

double Progress::seconds() const {
  return std::chrono::duration<double>(Clock::now() - began_).count();
}

void print_problems(const std::vector<ImportProblem>& problems, std::string_view kind) {
  constexpr std::size_t kShown = 50;
  for (std::size_t i = 0; i < problems.size() && i < kShown; ++i)
    std::cerr << kind << ": " << problems[i].where << ": " << problems[i].what << "\n";
  if (problems.size() > kShown)
    std::cerr << "… and " << problems.size() - kShown << " more of the same kind\n";
}

int report_import(std::string_view source, const Progress& progress,
                  const services::ImportCounts& counts, const std::vector<ImportProblem>& notes,
                  const std::vector<ImportProblem>& problems) {
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

}  // namespace gongdan::cli
