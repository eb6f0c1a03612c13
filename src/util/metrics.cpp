#include "util/metrics.hpp"

#include <fmt/format.h>

namespace gongdan {

std::string escape_label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

void append_family(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help, const std::vector<Sample>& samples) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  for (const auto& s : samples) {
    if (s.labels.empty())
      out += fmt::format("{} {}\n", name, s.value);
    else
      out += fmt::format("{}{{{}}} {}\n", name, s.labels, s.value);
  }
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::observe(double value) {
  std::size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  total_.fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<std::uint64_t>(value * 1e6), std::memory_order_relaxed);
}

void Histogram::render(std::string& out, const std::string& name, const std::string& labels) const {
  std::uint64_t cumulative = 0;
  const std::string sep = labels.empty() ? "" : ",";
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    std::string le = i < bounds_.size() ? fmt::format("{}", bounds_[i]) : "+Inf";
    out += fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, sep, le, cumulative);
  }
  std::string braces = labels.empty() ? "" : "{" + labels + "}";
  out += fmt::format("{}_sum{} {}\n", name, braces, sum_micros_.load() / 1e6);
  out += fmt::format("{}_count{} {}\n", name, braces, total_.load());
}

Metrics::Metrics() : write_batch_({1, 2, 4, 8, 16, 32, 64, 128, 256}) {}

void Metrics::count_request(const std::string& route, const std::string& method, unsigned status,
                            double seconds) {
  std::string key = fmt::format("route=\"{}\",method=\"{}\",status=\"{}\"", escape_label(route),
                                escape_label(method), status);
  std::atomic<std::uint64_t>* counter;
  Histogram* histogram;
  {
    std::lock_guard lock(mutex_);
    auto& c = requests_[key];
    if (!c) c = std::make_unique<std::atomic<std::uint64_t>>(0);
    counter = c.get();
    auto& h = latency_[route];
    if (!h)
      h = std::make_unique<Histogram>(
          std::vector<double>{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5});
    histogram = h.get();
  }
  counter->fetch_add(1, std::memory_order_relaxed);
  histogram->observe(seconds);
}

void Metrics::observe_write_batch(std::size_t size) {
  write_batch_.observe(static_cast<double>(size));
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mutex_);
  gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

void Metrics::add_collector(std::function<void(std::string& out)> collect) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(collect));
}

std::string Metrics::render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  out += "# HELP gongdan_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE gongdan_http_requests_total counter\n";
  for (const auto& [labels, value] : requests_)
    out += fmt::format("gongdan_http_requests_total{{{}}} {}\n", labels, value->load());
  out += "# HELP gongdan_http_request_duration_seconds Time from request read to response.\n";
  out += "# TYPE gongdan_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : latency_)
    histogram->render(out, "gongdan_http_request_duration_seconds",
                      fmt::format("route=\"{}\"", escape_label(route)));
  out += "# HELP gongdan_db_write_batch_size Writes committed together in one transaction.\n";
  out += "# TYPE gongdan_db_write_batch_size histogram\n";
  write_batch_.render(out, "gongdan_db_write_batch_size", "");
  for (const auto& gauge : gauges_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", gauge.name, gauge.help, gauge.name,
                       gauge.name, gauge.read());
  }
  for (const auto& collect : collectors_) collect(out);
  return out;
}

}  // namespace gongdan
