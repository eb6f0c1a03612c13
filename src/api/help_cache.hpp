// Rendered help centre pages, kept while the knowledge base has not changed since they were
// rendered (KbService::version, which every node's change moves), so a warm article page costs
// a map look-up instead of five queries and a render.
//
// Contract: a page is kept only when the version was the same before it was read and after it
// was rendered (a render that overlapped a change is answered but never kept); any change clears
// everything kept before it; at most max_bytes of pages are kept, the least recently used going
// first. With a `settle` time (reads from PostgreSQL read replicas: settle_time()), a page
// rendered less than `settle` after the change before it (as this cache first saw that change,
// or after the cache was made) is kept `settle` at most: a replica that lagged behind the
// change's notice may have given it the rows from before the change. Other pages are kept until
// the next change (a notice a node missed still moves the version: services/kb_background.hpp).
// Thread-safe: shards of the key space each have their own lock.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace gongdan::api {

class HelpPageCache {
 public:
  struct Page {
    std::string body;
    std::int64_t translation_id = 0;  // an article page's: its view is counted on every hit
  };
  using Ptr = std::shared_ptr<const Page>;
  HelpPageCache(const std::atomic<std::uint64_t>& version, std::size_t max_bytes,
                std::chrono::seconds settle);

  // Whether reads may come from PostgreSQL read replicas (config database_replicas): set once
  // at start-up, before the routes make their caches (one server a process).
  static void set_replica_reads(bool on);
  // The `settle` for this server: a minute with replica reads (a replica lags by seconds, not a
  // minute), else none.
  static std::chrono::seconds settle_time();

  using Time = std::chrono::steady_clock::time_point;
  struct Seen {
    std::uint64_t version = 0;
    Time at;
  };
  // What to give keep() for a page about to be rendered: the version now, and when.
  Seen seen() const { return {version_.load(), std::chrono::steady_clock::now()}; }
  // The page kept under `key` at the current version, or null.
  Ptr find(const std::string& key);
  // Keeps `page` when the knowledge base is still at `seen`.
  void keep(const std::string& key, Seen seen, Page page);
  std::size_t size();

 private:
  static constexpr std::size_t kShards = 16;
  struct Entry {
    Ptr page;
    Time expires;                          // Time::max(): at the next change
    std::list<std::string>::iterator age;  // in `recent`, newest first
  };
  struct Shard {
    std::mutex mutex;
    std::uint64_t version = 0;  // of every page kept here
    Time changed_at;            // when this shard first saw that version
    std::unordered_map<std::string, Entry> pages;
    std::list<std::string> recent;
    std::size_t bytes = 0;
  };
  Shard& shard_of(const std::string& key);
  static void clear(Shard& shard, std::uint64_t version, Time now);

  const std::atomic<std::uint64_t>& version_;
  const std::size_t shard_bytes_;
  const std::chrono::steady_clock::duration settle_;
  std::array<Shard, kShards> shards_;
};

}  // namespace gongdan::api
