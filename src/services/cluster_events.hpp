// Live ticket events across nodes. Every ticket write NOTIFYs a small note (which ticket, which
// message, which node) in its own transaction; each node LISTENs, loads what the note names and
// publishes it on its own event bus, so an agent connected to node A sees, live, the ticket
// created through node B. Notes are hints: the database stays the record.
#pragma once

#include <string>
#include <string_view>

#include "services/credential_cache.hpp"
#include "services/directory.hpp"
#include "services/job_queue.hpp"
#include "services/kb_service.hpp"
#include "services/store_fwd.hpp"
#include "services/ticket_events_bus.hpp"

namespace gongdan::services {

inline constexpr std::string_view kTicketEventsChannel = "gongdan_ticket_events";
inline constexpr std::string_view kCredentialsChannel = "gongdan_credentials";
inline constexpr std::string_view kJobsChannel = "gongdan_jobs";
inline constexpr std::string_view kSettingsChannel = "gongdan_settings";
inline constexpr std::string_view kKbChannel = "gongdan_kb";

// Starts relaying other nodes' events to `bus` (a no-op on SQLite).
void relay_cluster_events(store::Database& db, TicketEventBus& bus);
// A sign-out, revocation or account change on one node evicts the credentials it affects from
// every node's cache (and ends their live connections), instead of waiting for them to expire.
void relay_credential_evictions(store::Database& db, CredentialCache& cache,
                                const std::string& node_id);

// A change of rules or settings on one node (triggers, SLA policies, assignment, webhooks,
// statuses, departments, fields) reloads them on every node. A no-op on SQLite.
void relay_settings_changes(store::Database& db, Directory& directory, const std::string& node_id);

// A change of the knowledge base on one node makes every node's rendered help centre pages
// stale (KbService::version). A no-op on SQLite.
void relay_kb_changes(store::Database& db, KbService& kb, const std::string& node_id);

// A job enqueued on any node wakes every node's runner, so idle nodes share a burst of work
// (claims skip jobs another node holds: each runs once). A no-op on SQLite.
void relay_job_wakes(store::Database& db, JobQueue& jobs);

}  // namespace gongdan::services
