// Agents' in-app notifications (the notify action of triggers and automations): read, counted
// and marked read here.
#pragma once

#include <vector>

#include "domain/notification.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

class NotificationsService {
 public:
  NotificationsService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The caller's notifications, newest first, and how many are unread.
  Result<std::vector<Notification>> notifications(const Principal& who, bool unread_only,
                                                  std::int64_t before_id, int limit);
  Result<std::int64_t> unread(const Principal& who);
  // Marks the caller's notifications read (all when `ids` is empty); returns how many.
  Result<std::int64_t> mark_read(const Principal& who, const std::vector<std::int64_t>& ids);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace gongdan::services
