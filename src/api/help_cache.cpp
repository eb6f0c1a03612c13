#include "api/help_cache.hpp"

#include <functional>

namespace gongdan::api {
namespace {

// What a page holds in memory beyond its text: the key twice (map and list), nodes, pointers.
std::size_t cost_of(const std::string& key, const HelpPageCache::Page& page) {
  return page.body.size() + 2 * key.size() + 160;
}

}  // namespace

HelpPageCache::Shard& HelpPageCache::shard_of(const std::string& key) {
  return shards_[std::hash<std::string>{}(key) % kShards];
}

void HelpPageCache::clear(Shard& shard, std::uint64_t version) {
  shard.pages.clear();
  shard.recent.clear();
  shard.bytes = 0;
  shard.version = version;
}

HelpPageCache::Ptr HelpPageCache::find(const std::string& key) {
  const std::uint64_t now = version_.load();
  auto& shard = shard_of(key);
  std::lock_guard lock(shard.mutex);
  if (shard.version != now) {
    clear(shard, now);
    return nullptr;
  }
  auto it = shard.pages.find(key);
  if (it == shard.pages.end()) return nullptr;
  if (std::chrono::steady_clock::now() - it->second.kept_at > kMaxAge) return nullptr;
  shard.recent.splice(shard.recent.begin(), shard.recent, it->second.age);
  return it->second.page;
}

void HelpPageCache::keep(const std::string& key, std::uint64_t seen, Page page) {
  const std::size_t cost = cost_of(key, page);
  if (cost > shard_bytes_) return;
  auto& shard = shard_of(key);
  std::lock_guard lock(shard.mutex);
  // Checked under the lock: a change after this point clears the shard at its next find.
  if (version_.load() != seen) return;
  if (shard.version != seen) clear(shard, seen);
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
  shard.pages.emplace(key, Entry{std::make_shared<const Page>(std::move(page)),
                                 std::chrono::steady_clock::now(), shard.recent.begin()});
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
