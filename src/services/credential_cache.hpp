// Recently checked credentials, so a busy API client does not cost a database read for its
// token on every request. Entries live a few seconds; sign-out, revocation, password changes and
// account changes clear the cache at once on this node and, on PostgreSQL, on the others.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "services/principal.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

class CredentialCache {
 public:
  explicit CredentialCache(Millis ttl_ms = 5000) : ttl_ms_(ttl_ms) {}

  std::optional<Principal> get(const std::string& digest, Millis now) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(digest);
    if (it == entries_.end() || now - it->second.stored_at > ttl_ms_) return std::nullopt;
    return it->second.principal;
  }
  void put(const std::string& digest, const Principal& principal, Millis now) {
    std::lock_guard lock(mutex_);
    if (entries_.size() > 50000) entries_.clear();  // bounded: a flood of tokens cannot grow it
    entries_[digest] = Entry{principal, now};
  }
  // Forgets everything, here and (through the broadcaster, on PostgreSQL) on every other node.
  void clear() {
    std::function<void()> broadcaster;
    {
      std::lock_guard lock(mutex_);
      broadcaster = broadcaster_;
    }
    clear_here();
    if (broadcaster) broadcaster();
  }
  // Forgets everything on this node only (another node's clear arriving).
  void clear_here() {
    std::function<void()> listener;
    {
      std::lock_guard lock(mutex_);
      entries_.clear();
      listener = on_clear_;
    }
    if (listener) listener();
  }
  // Tells the other nodes of each clear(); see cluster_events.hpp.
  void set_broadcaster(std::function<void()> broadcaster) {
    std::lock_guard lock(mutex_);
    broadcaster_ = std::move(broadcaster);
  }
  // Called after every clear: open live connections hold credentials too.
  void set_on_clear(std::function<void()> listener) {
    std::lock_guard lock(mutex_);
    on_clear_ = std::move(listener);
  }

 private:
  struct Entry {
    Principal principal;
    Millis stored_at;
  };
  Millis ttl_ms_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mutex_
  std::function<void()> on_clear_;                  // guarded by mutex_
  std::function<void()> broadcaster_;               // guarded by mutex_
};

}  // namespace gongdan::services
