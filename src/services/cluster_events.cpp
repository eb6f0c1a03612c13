#include "services/cluster_events.hpp"

#include <spdlog/spdlog.h>

#include <functional>

#include <boost/json.hpp>

#include "store/automation_store.hpp"
#include "store/messages_store.hpp"
#include "store/tickets_store.hpp"

namespace gongdan::services {
namespace {

std::int64_t note_int(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->as_int64() : 0;
}

// Loads what a note names and publishes it; a ticket gone meanwhile is simply skipped.
void replay_note(store::Database& db, TicketEventBus& bus, std::string_view payload) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(payload, ec);
  if (ec || !parsed.is_object()) return;
  const auto& note = parsed.as_object();
  const auto* node = note.if_contains("node");
  const auto* type = note.if_contains("type");
  if (!node || !node->is_string() || !type || !type->is_string()) return;
  if (node->as_string() == bus.node_id()) return;  // our own: published already
  if (!bus.wanted()) return;
  TicketChange change;
  change.type = std::string(type->as_string());
  if (auto actor = note_int(note, "actor")) change.actor_id = actor;
  bool found = false;
  auto loaded = db.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto ticket, store::find_ticket(c, note_int(note, "ticket")));
    if (!ticket) return {};
    change.ticket = std::move(*ticket);
    if (change.type == "notification.created") {
      GONGDAN_ASSIGN(auto n, store::find_notification(c, note_int(note, "notification")));
      if (!n) return {};
      change.notification = LiveNotification{n->id,    n->user_id, n->ticket_number, n->kind,
                                             n->title, n->body,    n->created_at};
      found = true;
      return {};
    }
    if (auto id = note_int(note, "message")) {
      GONGDAN_ASSIGN(change.message, store::find_message(c, id));
    }
    GONGDAN_ASSIGN(change.followers, store::list_followers(c, change.ticket.id));
    found = true;
    return {};
  });
  if (!loaded) {
    spdlog::warn("cannot load a ticket event from another node: {}", loaded.error().message);
    return;
  }
  if (found) bus.publish(change);
}

// A clear on one node (through the broadcaster `set_broadcaster` installs) runs `clear_here` on
// every other node. The NOTIFY is its own transaction, sent after the change has committed, so
// a node that reloads on it reads the change.
void relay_clears(store::Database& db, std::string_view channel, const std::string& node_id,
                  const std::function<void(std::function<void()>)>& set_broadcaster,
                  std::function<void()> clear_here) {
  if (db.engine() != store::Engine::kPostgres) return;
  set_broadcaster([&db, channel, node_id] {
    db.write_detached(
        [channel, node_id](store::Connection& c) { return c.notify(channel, node_id); });
  });
  db.listen(std::string(channel),
            [clear_here = std::move(clear_here), node_id](std::string_view from) {
              if (from != node_id) clear_here();
            });
}

}  // namespace

void relay_cluster_events(store::Database& db, TicketEventBus& bus) {
  db.listen(std::string(kTicketEventsChannel),
            [&db, &bus](std::string_view payload) { replay_note(db, bus, payload); });
}

// The note is "<node> <target>" (target as CredentialTarget::text).
void relay_credential_evictions(store::Database& db, CredentialCache& cache,
                                const std::string& node_id) {
  if (db.engine() != store::Engine::kPostgres) return;
  cache.set_broadcaster([&db, node_id](const CredentialTarget& target) {
    db.write_detached([note = node_id + " " + target.text()](store::Connection& c) {
      return c.notify(kCredentialsChannel, note);
    });
  });
  db.listen(std::string(kCredentialsChannel), [&cache, node_id](std::string_view note) {
    const auto space = note.find(' ');
    if (space == std::string_view::npos || note.substr(0, space) == node_id) return;
    if (auto target = CredentialTarget::parse(note.substr(space + 1))) cache.evict_here(*target);
  });
}

void relay_settings_changes(store::Database& db, Directory& directory, const std::string& node_id) {
  relay_clears(
      db, kSettingsChannel, node_id,
      [&directory](std::function<void()> broadcast) {
        directory.set_settings_broadcaster(std::move(broadcast));
      },
      [&directory] { directory.settings_changed_here(); });
}

void relay_kb_changes(store::Database& db, KbService& kb, const std::string& node_id) {
  relay_clears(
      db, kKbChannel, node_id,
      [&kb](std::function<void()> broadcast) { kb.set_broadcaster(std::move(broadcast)); },
      [&kb] { kb.changed_here(); });
}

void relay_job_wakes(store::Database& db, JobQueue& jobs) {
  if (db.engine() != store::Engine::kPostgres) return;
  db.listen(std::string(kJobsChannel), [&jobs](std::string_view) { jobs.notify(); });
}

}  // namespace gongdan::services
