// Recently checked credentials, so a busy API client does not cost a database read for its
// token on every request. Entries live a few seconds; a sign-out, revocation, password change
// or account change evicts the credentials it affects at once, on this node and, on
// PostgreSQL, on the others, and ends the live connections that hold them. Nobody else's.
#pragma once

#include <charconv>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "services/principal.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

// What an eviction is about: one session, one token, or every credential of one user.
struct CredentialTarget {
  enum class Kind { kSession, kToken, kUser };
  Kind kind = Kind::kUser;
  std::int64_t id = 0;
  // Whether live connections holding it end too (not for a mere change of name or language).
  bool end_connections = true;

  static CredentialTarget session(std::int64_t id) { return {Kind::kSession, id, true}; }
  static CredentialTarget token(std::int64_t id) { return {Kind::kToken, id, true}; }
  static CredentialTarget user(std::int64_t id, bool end_connections = true) {
    return {Kind::kUser, id, end_connections};
  }

  bool matches(const Principal& p) const {
    switch (kind) {
      case Kind::kSession:
        return p.via == CredentialKind::kSession && p.credential_id == id;
      case Kind::kToken:
        return p.via == CredentialKind::kToken && p.credential_id == id;
      case Kind::kUser:
        return p.user.id == id;
    }
    return false;
  }
  // "s12", "t5", "u7" (and "U7" for a user whose connections stay): the other nodes' note.
  std::string text() const {
    const char letter = kind == Kind::kSession ? 's'
                        : kind == Kind::kToken ? 't'
                        : end_connections      ? 'u'
                                               : 'U';
    return letter + std::to_string(id);
  }
  static std::optional<CredentialTarget> parse(std::string_view text) {
    if (text.size() < 2) return std::nullopt;
    CredentialTarget t;
    switch (text.front()) {
      case 's':
        t = session(0);
        break;
      case 't':
        t = token(0);
        break;
      case 'u':
        t = user(0, true);
        break;
      case 'U':
        t = user(0, false);
        break;
      default:
        return std::nullopt;
    }
    const auto digits = text.substr(1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), t.id);
    if (ec != std::errc() || end != digits.data() + digits.size() || t.id <= 0) return std::nullopt;
    return t;
  }
};

class CredentialCache {
 public:
  using Listener = std::function<void(const CredentialTarget&)>;

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
  // Forgets what `target` names, here and (through the broadcaster, on PostgreSQL) on every
  // other node.
  void evict(const CredentialTarget& target) {
    Listener broadcaster;
    {
      std::lock_guard lock(mutex_);
      broadcaster = broadcaster_;
    }
    evict_here(target);
    if (broadcaster) broadcaster(target);
  }
  // Forgets it on this node only (another node's eviction arriving).
  void evict_here(const CredentialTarget& target) {
    Listener listener;
    {
      std::lock_guard lock(mutex_);
      std::erase_if(entries_, [&](const auto& e) { return target.matches(e.second.principal); });
      listener = on_evict_;
    }
    if (listener) listener(target);
  }
  // Tells the other nodes of each evict(); see cluster_events.hpp.
  void set_broadcaster(Listener broadcaster) {
    std::lock_guard lock(mutex_);
    broadcaster_ = std::move(broadcaster);
  }
  // Called after every eviction: open live connections hold credentials too.
  void set_on_evict(Listener listener) {
    std::lock_guard lock(mutex_);
    on_evict_ = std::move(listener);
  }

 private:
  struct Entry {
    Principal principal;
    Millis stored_at;
  };
  Millis ttl_ms_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mutex_
  Listener on_evict_;                               // guarded by mutex_
  Listener broadcaster_;                            // guarded by mutex_
};

}  // namespace gongdan::services
