// Rendered help centre pages, kept while the knowledge base has not changed since they were
// rendered (KbService::version, which every node's change moves), so a warm article page costs
// a map look-up instead of five queries and a render.
//
// Contract: a page is kept only when the version was the same before it was read and after it
// was rendered (a render that overlapped a change is answered but never kept); any change clears
// everything kept before it; at most max_bytes of pages are kept, the least recently used going
// first; none is kept longer than kMaxAge (a PostgreSQL read replica that lagged behind the
// change's notice may have given a render the rows from before it). Thread-safe: shards of the
// key space each have their own lock.
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
  static constexpr std::chrono::seconds kMaxAge{60};

  HelpPageCache(const std::atomic<std::uint64_t>& version, std::size_t max_bytes)
      : version_(version), shard_bytes_(max_bytes / kShards) {}

  // The version to give keep() for a page about to be rendered.
  std::uint64_t version() const { return version_.load(); }
  // The page kept under `key` at the current version, or null.
  Ptr find(const std::string& key);
  // Keeps `page` when the knowledge base is still at `seen`.
  void keep(const std::string& key, std::uint64_t seen, Page page);
  std::size_t size();

 private:
  static constexpr std::size_t kShards = 16;
  struct Entry {
    Ptr page;
    std::chrono::steady_clock::time_point kept_at;
    std::list<std::string>::iterator age;  // in `recent`, newest first
  };
  struct Shard {
    std::mutex mutex;
    std::uint64_t version = 0;  // of every page kept here
    std::unordered_map<std::string, Entry> pages;
    std::list<std::string> recent;
    std::size_t bytes = 0;
  };
  Shard& shard_of(const std::string& key);
  static void clear(Shard& shard, std::uint64_t version);

  const std::atomic<std::uint64_t>& version_;
  const std::size_t shard_bytes_;
  std::array<Shard, kShards> shards_;
};

}  // namespace gongdan::api
