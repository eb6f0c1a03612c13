// Persistence of what automation carries out and of the time-based automations' progress: the
// agents' in-app notifications, when each ticket entered its status, which automation already
// fired, and the cleaning of old finished jobs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/notification.hpp"
#include "domain/status_since.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

Result<std::int64_t> insert_notification(Connection& c, const Notification& row);
Result<std::optional<Notification>> find_notification(Connection& c, std::int64_t id);
// Newest first, ids below `before_id` (0: from the newest).
Result<std::vector<Notification>> list_notifications(Connection& c, std::int64_t user_id,
                                                     bool unread_only, std::int64_t before_id,
                                                     int limit);
// Marks the user's notifications read (all of them when `ids` is empty); returns how many.
Result<std::int64_t> mark_notifications_read(Connection& c, std::int64_t user_id,
                                             const std::vector<std::int64_t>& ids, Millis now);
Result<std::int64_t> count_unread_notifications(Connection& c, std::int64_t user_id);

Result<std::optional<StatusSince>> find_status_since(Connection& c, std::int64_t ticket_id);
Result<void> save_status_since(Connection& c, std::int64_t ticket_id, const StatusSince& s);
// Open tickets (not closed, not merged) with id above `after_id`, by id: the one-off pass that
// schedules a new automation for the tickets that already exist.
Result<std::vector<std::int64_t>> ticket_ids_after(Connection& c, std::int64_t after_id, int limit);

// True the first time `key` is marked.
Result<bool> mark_automation_fired(Connection& c, std::string_view key, Millis at);

// Deletes up to `limit` jobs that finished (done) before `before`; returns how many.
Result<std::int64_t> prune_finished_jobs(Connection& c, Millis before, int limit);

}  // namespace gongdan::store
