// A value loaded from the database (compiled rules, settings) and kept while the settings
// version it was loaded at is current (Directory::settings_changed moves the version on every
// committed change, on this node or another). A load that overlaps a change may have read the
// rows from before it (another writer's transaction, another node's): it is answered but never
// kept, so a stale copy stored after the change cannot hide it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "util/result.hpp"

namespace gongdan::services {

template <class T>
class SharedCache {
 public:
  using Ptr = std::shared_ptr<const T>;

  explicit SharedCache(const std::atomic<std::uint64_t>& version) : version_(version) {}

  // The kept value, or load()'s (a callable returning Result<Ptr>).
  template <class Load>
  Result<Ptr> get(Load&& load) {
    const std::uint64_t seen = version_.load();
    {
      std::lock_guard lock(mutex_);
      if (value_ && loaded_at_ == seen) return value_;
    }
    GONGDAN_ASSIGN(Ptr loaded, load());
    std::lock_guard lock(mutex_);
    if (version_.load() == seen) {
      value_ = loaded;
      loaded_at_ = seen;
    }
    return loaded;
  }

  // The kept value if it is current, without loading (null otherwise).
  Ptr peek() {
    const std::uint64_t seen = version_.load();
    std::lock_guard lock(mutex_);
    return value_ && loaded_at_ == seen ? value_ : nullptr;
  }

 private:
  const std::atomic<std::uint64_t>& version_;
  std::mutex mutex_;
  Ptr value_;                    // guarded by mutex_
  std::uint64_t loaded_at_ = 0;  // guarded by mutex_
};

}  // namespace gongdan::services
