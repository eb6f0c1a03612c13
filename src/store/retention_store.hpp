// What a retention policy finds and the rows it deletes or anonymises (services/
// retention_service.cpp decides; docs/privacy.md says what each action covers).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/privacy_store.hpp"

namespace gongdan::store {

// Closed tickets of `department` (every department when none) last changed before `cutoff`,
// lowest id first; with `anonymising`, only those not anonymised yet.
Result<std::vector<std::int64_t>> retention_due(Connection& c,
                                                std::optional<std::int64_t> department,
                                                std::int64_t cutoff, bool anonymising, int limit);
Result<std::int64_t> retention_count(Connection& c, std::optional<std::int64_t> department,
                                     std::int64_t cutoff, bool anonymising);

// One ticket's messages (id, body, html): its requester's (`requesters`) or everyone else's.
Result<std::vector<TextRow>> ticket_messages(Connection& c, std::int64_t ticket_id,
                                             std::int64_t requester_id, bool requesters);
// Queues and deletes the files of the requester's messages on the ticket (all of the ticket's
// when `all`), blanks or deletes its kept mail, and blanks CSAT comments, call numbers, chat IPs
// and provider ids on it.
Result<void> drop_ticket_files(Connection& c, std::int64_t ticket_id, std::int64_t requester_id,
                               bool all, std::int64_t now);
Result<void> mark_anonymised(Connection& c, std::int64_t ticket_id, std::string_view subject,
                             std::int64_t now);
// Every row of the ticket, the ticket last (the caller has unindexed it and its messages).
Result<void> delete_ticket_rows(Connection& c, std::int64_t ticket_id);

}  // namespace gongdan::store
