// What the two ways of `gongdan import` share (an export on disk, cli/import_command; a live
// Request Tracker, cli/import_rt_rest): the options, the progress line (count, rate, time left)
// and the closing report.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/import_record.hpp"
#include "services/import_service.hpp"

namespace gongdan::cli {

struct ImportArgs {
  std::string path;
  std::string name;
  int batch = 1000;
  bool from_start = false;
  std::string progress = "auto";  // auto (a line on a terminal), bar, lines, none
  std::string url;                // rt: REST2's base, instead of a folder
  std::string token;              // rt: REST2's auth token (else GONGDAN_RT_TOKEN)
};

// "12,345"
std::string grouped(std::int64_t n);

class Progress {
 public:
  Progress(std::string mode, std::int64_t total, std::int64_t start);
  void show(std::int64_t done);
  void done();
  double seconds() const;

 private:
  using Clock = std::chrono::steady_clock;
  std::string mode_;
  std::int64_t total_, start_;
  Clock::time_point began_;
};

void print_problems(const std::vector<ImportProblem>& problems, std::string_view kind);

// The notes and problems, then the summary line ("rt in 0:03: tickets imported 3, …"); the
// exit status: 0 when nothing was left out, else 1.
int report_import(std::string_view source, const Progress& progress,
                  const services::ImportCounts& counts, const std::vector<ImportProblem>& notes,
                  const std::vector<ImportProblem>& problems);

}  // namespace gongdan::cli
