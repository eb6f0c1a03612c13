// The knowledge base's background work on a server (issue 18), on a thread of its own every
// KbService::kViewFlushMillis of real time (it paces writes, it is not business time):
//   - writes the page views counted since (KbService::flush_views), so no request ever waits for
//     that write;
//   - reads the knowledge base's generation, which every change moves in its own transaction: a
//     generation this node did not hear of (a PostgreSQL notice lost with its connection, or
//     never sent by a node that stopped first) moves KbService::version all the same, so the
//     pages this node keeps are dropped.
// stop() writes the views still waiting: a server that stops loses none, a crash at most one
// interval's. Each node with PostgreSQL runs its own; views are added, never overwritten.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>

#include "services/store_fwd.hpp"
#include "util/result.hpp"

namespace gongdan::services {

class KbService;

class KbBackground {
 public:
  KbBackground(store::Database& db, KbService& kb) : db_(db), kb_(kb) {}
  ~KbBackground() { stop(); }
  KbBackground(const KbBackground&) = delete;
  KbBackground& operator=(const KbBackground&) = delete;

  // Reads the generation, then starts the thread: call before traffic.
  Result<void> start();
  // Stops the thread and writes the views left: after the last request, before the database
  // closes. Later calls do nothing.
  void stop();

 private:
  void run(std::stop_token stop);
  // Moves KbService::version when the stored generation is not the one last read.
  Result<void> check_generation();

  store::Database& db_;
  KbService& kb_;
  std::optional<std::int64_t> generation_;  // by start() and then the thread only
  std::mutex mutex_;
  std::condition_variable_any wake_;  // only a stop wakes it before its time
  std::jthread thread_;
  bool stopped_ = false;
};

}  // namespace gongdan::services
