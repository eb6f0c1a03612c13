#include "util/process_metrics.hpp"

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/metrics.hpp"

namespace gongdan {
namespace {

std::string read_file(const char* path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// /proc/self/stat fields after the command name (which may hold spaces and parentheses).
std::vector<std::string> stat_fields() {
  const std::string stat = read_file("/proc/self/stat");
  const auto close = stat.rfind(')');
  std::vector<std::string> fields;
  if (close == std::string::npos) return fields;
  std::istringstream rest(stat.substr(close + 1));
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

double boot_time_seconds() {
  std::istringstream in(read_file("/proc/stat"));
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("btime ")) return std::stod(line.substr(6));
  return 0;
}

double open_fds() {
  std::error_code ec;
  double n = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec))
    ++n;
  return n;
}

}  // namespace

void append_process_metrics(std::string& out) {
  const auto fields = stat_fields();
  // Field numbers of proc(5) minus 3: state is field 3, the first after the name.
  if (fields.size() < 22) return;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  const double cpu = (std::stod(fields[11]) + std::stod(fields[12])) / ticks;  // utime + stime
  const double start = boot_time_seconds() + std::stod(fields[19]) / ticks;
  const double virtual_bytes = std::stod(fields[20]);
  const double resident_bytes = std::stod(fields[21]) * page;
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  append_family(out, "process_cpu_seconds_total", "counter", "User and system CPU time.",
                {{"", cpu}});
  append_family(out, "process_start_time_seconds", "gauge", "Start time since the Unix epoch.",
                {{"", start}});
  append_family(out, "process_resident_memory_bytes", "gauge", "Resident memory.",
                {{"", resident_bytes}});
  append_family(out, "process_virtual_memory_bytes", "gauge", "Virtual memory.",
                {{"", virtual_bytes}});
  append_family(out, "process_open_fds", "gauge", "Open file descriptors.", {{"", open_fds()}});
  append_family(out, "process_max_fds", "gauge", "The limit of open file descriptors.",
                {{"", static_cast<double>(files.rlim_cur)}});
}

}  // namespace gongdan

namespace gongdan {

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace gongdan
