#include "api/help_cache.hpp"

#include <functional>

namespace gongdan::api {
namespace {

// What a page holds in memory beyond its text: the key twice (map and list), nodes, pointers.
std::size_t cost_of(const std::string& key, const HelpPageCache::Page& page) {
  return page.body.size() + 2 * key.size() + 160;
}

std::atomic<bool> replica_reads{false};

}  // namespace

void HelpPageCache::set_replica_reads(bool on) { replica_reads = on; }

std::chrono::seconds HelpPageCache::settle_time() {
  return replica_reads ? std::chrono::seconds(60) : std::chrono::seconds(0);
}

HelpPageCache::HelpPageCache(const std::atomic<std::uint64_t>& version, std::size_t max_bytes,
                             std::chrono::seconds settle)
    : version_(version), shard_bytes_(max_bytes / kShards), settle_(settle) {
  // Whatever changed before the cache was made may not have reached a replica yet.
  const auto now = std::chrono::steady_clock::now();
  for (auto& shard : shards_) shard.changed_at = now;
}

HelpPageCache::Shard& HelpPageCache::shard_of(const std::string& key) {
  return shards_[std::hash<std::string>{}(key) % kShards];
}

void HelpPageCache::clear(Shard& shard, std::uint64_t version, Time now) {
  shard.pages.clear();
  shard.recent.clear();
  shard.bytes = 0;
  shard.version = version;
  shard.changed_at = now;
}

HelpPageCache::Ptr HelpPageCache::find(const std::string& key) {
  const std::uint64_t version = version_.load();
  const auto now = std::chrono::steady_clock::now();
  auto& shard = shard_of(key);
  std::lock_guard lock(shard.mutex);
  if (shard.version != version) {
    clear(shard, version, now);
    return nullptr;
  }
  auto it = shard.pages.find(key);
  if (it == shard.pages.end()) return nullptr;
  if (now > it->second.expires) return nullptr;
  shard.recent.splice(shard.recent.begin(), shard.recent, it->second.age);
  return it->second.page;
}

void HelpPageCache::keep(const std::string& key, Seen seen, Page page) {
  const std::size_t cost = cost_of(key, page);
  if (cost > shard_bytes_) return;
  const auto now = std::chrono::steady_clock::now();
  auto& shard = shard_of(key);
  std::lock_guard lock(shard.mutex);
  // Checked under the lock: a change after this point clears the shard at its next find.
  if (version_.load() != seen.version) return;
  if (shard.version != seen.version) clear(shard, seen.version, now);
  // shard.changed_at is no earlier than the change itself, so a page counted as rendered long
  // after it surely was.
  const Time expires = seen.at - shard.changed_at >= settle_ ? Time::max() : seen.at + settle_;
  if (auto it = shard.pages.find(key); it != shard.pages.end()) {
    shard.bytes -= cost_of(key, *it->second.page);
    shard.recent.erase(it->second.age);
    shard.pages.erase(it);
  }
  while (!shard.recent.empty() && shard.bytes + cost > shard_bytes_) {
    const auto& oldest = shard.recent.back();
    auto it = shard.pages.find(oldest);
    shard.bytes -= cost_of(oldest, *it->second.page);
    shard.pages.erase(it);
    shard.recent.pop_back();
  }
  shard.recent.push_front(key);
  shard.pages.emplace(
      key, Entry{std::make_shared<const Page>(std::move(page)), expires, shard.recent.begin()});
  shard.bytes += cost;
}

std::size_t HelpPageCache::size() {
  std::size_t n = 0;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    if (shard.version == version_.load()) n += shard.pages.size();
  }
  return n;
}

}  // namespace gongdan::api
