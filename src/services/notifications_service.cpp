#include "services/notifications_service.hpp"
#include "store/automation_store.hpp"
#include "store/database.hpp"

namespace gongdan::services {

Result<std::vector<Notification>> NotificationsService::notifications(const Principal& who,
                                                                      bool unread_only,
                                                                      std::int64_t before_id,
                                                                      int limit) {
  if (!who.is_agent() || !who.user.id)
    return fail(ErrorCode::kPermissionDenied, "notifications are for agents");
  GONGDAN_ASSIGN(auto out, store::read_value(db_, [&](store::Connection& c) {
                   return store::list_notifications(c, who.user.id, unread_only, before_id, limit);
                 }));
  return out;
}

Result<std::int64_t> NotificationsService::unread(const Principal& who) {
  if (!who.is_agent() || !who.user.id)
    return fail(ErrorCode::kPermissionDenied, "notifications are for agents");
  GONGDAN_ASSIGN(auto n, store::read_value(db_, [&](store::Connection& c) {
                   return store::count_unread_notifications(c, who.user.id);
                 }));
  return n;
}

Result<std::int64_t> NotificationsService::mark_read(const Principal& who,
                                                     const std::vector<std::int64_t>& ids) {
  if (!who.is_agent() || !who.user.id)
    return fail(ErrorCode::kPermissionDenied, "notifications are for agents");
  std::int64_t n = 0;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(n, store::mark_notifications_read(c, who.user.id, ids, clock_.now_ms()));
    return {};
  }));
  return n;
}

}  // namespace gongdan::services
