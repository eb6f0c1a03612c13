// Prometheus counters and histograms kept in memory and rendered in the text exposition format.
// Thread-safe: labels are looked up under a mutex, values are atomics.
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace gongdan {

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double value);
  // Appends `name_bucket{labels,le=...}`, `_sum` and `_count` lines.
  void render(std::string& out, const std::string& name, const std::string& labels) const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // one per bound, plus +Inf
  std::atomic<std::uint64_t> total_{0};
  std::atomic<std::uint64_t> sum_micros_{0};
};

class Metrics {
 public:
  Metrics();
  void count_request(const std::string& route, const std::string& method, unsigned status,
                     double seconds);
  void observe_write_batch(std::size_t size);
  // Gauges are read when rendering, from whoever owns them.
  void add_gauge(std::string name, std::string help, std::function<double()> read);
  // A collector renders families of its own (labelled ones, or several from one read) at each
  // scrape; append_family writes one in the text format.
  void add_collector(std::function<void(std::string& out)> collect);
  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<std::atomic<std::uint64_t>>> requests_;  // by labels
  std::map<std::string, std::unique_ptr<Histogram>> latency_;                    // by route
  Histogram write_batch_;
  struct Gauge {
    std::string name, help;
    std::function<double()> read;
  };
  std::vector<Gauge> gauges_;
  std::vector<std::function<void(std::string&)>> collectors_;
};

struct Sample {
  std::string labels;  // `name="value",…` already escaped, or empty
  double value = 0;
};
// `# HELP`, `# TYPE` and one line per sample.
void append_family(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help, const std::vector<Sample>& samples);
// A label value as the text format wants it (backslash, quote and newline escaped).
std::string escape_label(std::string_view value);

}  // namespace gongdan
