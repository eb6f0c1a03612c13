// The standard process_* families of Prometheus client libraries (CPU, memory, open files,
// start time), read from /proc/self at each scrape, so the usual dashboards and alerts work.
#pragma once

#include <string>

namespace gongdan {

void append_process_metrics(std::string& out);

// The CPU time this process has used so far, all its threads together, in seconds.
double process_cpu_seconds();

}  // namespace gongdan
