// Read replicas (PostgreSQL streaming standbys) beside the primary. Reads a request marks as
// safe (see read_route.hpp) go to a replica, round robin, each in one REPEATABLE READ, READ ONLY
// transaction on a pooled connection. Read-your-writes: after a principal's write commits, the
// primary's WAL insert position is noted for that principal; their reads stay on the primary
// until the chosen replica's replay position (pg_last_wal_replay_lsn) has passed it. A replica
// that cannot be reached, or fails a read, is left alone for a few seconds and the read goes to
// the primary instead: a stopped replica slows nothing down and breaks no read.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace gongdan::store {

// "16/B374D848" → 0x16B374D848; nullopt when it is not an LSN (NULL on a primary, say).
std::optional<std::uint64_t> parse_lsn(std::string_view text);

class PgReplicas {
 public:
  PgReplicas(std::vector<std::string> urls, int max_connections_each);
  bool empty() const { return replicas_.empty(); }
  // Runs `work` on a replica and returns its outcome, or nullopt when the primary must serve
  // it (no replica reachable, or none has replayed this principal's last write yet).
  std::optional<Result<void>> read(const std::string& principal, const Database::Work& work);
  // After a commit on the primary at `lsn`: these principals read there until replicas catch up.
  void note_commit(const std::vector<std::string>& principals, std::uint64_t lsn);
  std::int64_t reads_served() const { return served_; }

 private:
  struct Replica {
    std::string url;
    std::mutex mutex;
    std::vector<std::unique_ptr<Connection>> idle;  // guarded by mutex
    int open = 0;                                   // guarded by mutex
    std::atomic<std::int64_t> down_until_ms{0};
  };
  std::optional<Result<void>> read_on(Replica& replica, std::optional<std::uint64_t> needed,
                                      const Database::Work& work);
  void mark_down(Replica& replica);

  std::vector<std::unique_ptr<Replica>> replicas_;
  int max_each_;
  std::atomic<std::uint64_t> next_{0};
  std::atomic<std::int64_t> served_{0};
  std::mutex pending_mutex_;
  std::map<std::string, std::uint64_t, std::less<>> pending_;  // principal → commit LSN
};

}  // namespace gongdan::store
