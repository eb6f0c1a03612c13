#pragma once

namespace gongdan {

// Names the calling thread (at most 15 bytes show) so `top -H`, perf and /proc tell the
// I/O threads, the writer and the job runner apart.
void name_this_thread(const char* name);

}  // namespace gongdan
