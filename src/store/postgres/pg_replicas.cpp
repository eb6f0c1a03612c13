#include "store/postgres/pg_replicas.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>

#include "store/postgres/pg_connection.hpp"

namespace gongdan::store {
namespace {

constexpr std::int64_t kReplicaRestMs = 5000;  // how long a failing replica is left alone

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::optional<std::uint64_t> parse_lsn(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= text.size())
    return std::nullopt;
  std::uint32_t hi = 0, lo = 0;
  auto a = std::from_chars(text.data(), text.data() + slash, hi, 16);
  auto b = std::from_chars(text.data() + slash + 1, text.data() + text.size(), lo, 16);
  if (a.ec != std::errc() || a.ptr != text.data() + slash || b.ec != std::errc() ||
      b.ptr != text.data() + text.size())
    return std::nullopt;
  return (static_cast<std::uint64_t>(hi) << 32) | lo;
}

PgReplicas::PgReplicas(std::vector<std::string> urls, int max_connections_each)
    : max_each_(max_connections_each) {
  for (auto& url : urls) {
    auto r = std::make_unique<Replica>();
    r->url = std::move(url);
    replicas_.push_back(std::move(r));
  }
}

void PgReplicas::note_commit(const std::vector<std::string>& principals, std::uint64_t lsn) {
  std::lock_guard lock(pending_mutex_);
  for (const auto& p : principals) {
    auto& at = pending_[p];
    at = std::max(at, lsn);
  }
}

void PgReplicas::mark_down(Replica& replica) {
  if (replica.down_until_ms.exchange(steady_ms() + kReplicaRestMs) < steady_ms())
    spdlog::warn("read replica unavailable; reading from the primary for {} s",
                 kReplicaRestMs / 1000);
  std::lock_guard lock(replica.mutex);
  replica.open -= static_cast<int>(replica.idle.size());
  replica.idle.clear();
}

std::optional<Result<void>> PgReplicas::read(const std::string& principal,
                                             const Database::Work& work) {
  std::optional<std::uint64_t> needed;
  if (!principal.empty()) {
    std::lock_guard lock(pending_mutex_);
    if (auto it = pending_.find(principal); it != pending_.end()) needed = it->second;
  }
  const auto n = replicas_.size();
  const auto start = next_++;
  for (std::size_t i = 0; i < n; ++i) {
    auto& replica = *replicas_[(start + i) % n];
    if (replica.down_until_ms.load() > steady_ms()) continue;
    auto outcome = read_on(replica, needed, work);
    if (!outcome) continue;
    if (needed) {  // this replica has caught up: the principal may read anywhere again
      std::lock_guard lock(pending_mutex_);
      if (auto it = pending_.find(principal); it != pending_.end() && it->second <= *needed)
        pending_.erase(it);
    }
    ++served_;
    return outcome;
  }
  return std::nullopt;
}

std::optional<Result<void>> PgReplicas::read_on(Replica& replica,
                                                std::optional<std::uint64_t> needed,
                                                const Database::Work& work) {
  std::unique_ptr<Connection> c;
  {
    std::lock_guard lock(replica.mutex);
    if (!replica.idle.empty()) {
      c = std::move(replica.idle.back());
      replica.idle.pop_back();
    } else if (replica.open >= max_each_) {
      return std::nullopt;  // busy: the primary serves this one rather than queueing
    } else {
      ++replica.open;
    }
  }
  auto give_back = [&](std::unique_ptr<Connection> conn) {
    std::lock_guard lock(replica.mutex);
    if (conn)
      replica.idle.push_back(std::move(conn));
    else
      --replica.open;
  };
  if (!c) {
    auto opened = PgConnection::open(replica.url);
    if (!opened) {
      give_back(nullptr);
      mark_down(replica);
      return std::nullopt;
    }
    c = std::move(*opened);
  }
  c->trim_statement_cache(400);
  if (needed) {
    std::optional<std::uint64_t> replayed;
    auto asked = [&]() -> Result<void> {
      GONGDAN_ASSIGN(auto q, query(*c, "SELECT CAST(pg_last_wal_replay_lsn() AS TEXT)"));
      GONGDAN_ASSIGN(bool row, q.next());
      if (row && !q.is_null(0)) replayed = parse_lsn(q.text(0));
      return {};
    }();
    if (!asked) {
      give_back(nullptr);
      mark_down(replica);
      return std::nullopt;
    }
    if (!replayed || *replayed < *needed) {
      give_back(std::move(c));
      return std::nullopt;  // not there yet: the primary has the principal's write
    }
  }
  // Statement by statement, as reads on the primary run (pg_database.cpp); a standby refuses
  // writes by itself.
  Result<void> result = [&]() -> Result<void> {
    try {
      return work(*c);
    } catch (const std::exception& e) {
      spdlog::error("database task threw: {}", e.what());
      return fail(ErrorCode::kInternal, "internal error");
    }
  }();
  c->drop_after_commit();
  c->drop_counts();
  auto* pg = static_cast<PgConnection*>(c.get());
  if (!result && (pg->broken() || result.error().code == ErrorCode::kUnavailable)) {
    // Lost connection, or a standby cancelling the query (recovery conflict): the primary
    // answers; nothing was written, so running the read again is safe.
    give_back(nullptr);
    if (pg->broken()) mark_down(replica);
    return std::nullopt;
  }
  give_back(std::move(c));
  return result;
}

}  // namespace gongdan::store
