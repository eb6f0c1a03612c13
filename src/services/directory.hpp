// Cached reference data that almost every ticket request needs: statuses, departments, custom
// field definitions and saved views (small, changed rarely, invalidated on every change), and
// each signed-in person's Viewer (their departments and organization), kept for a few seconds
// and dropped at once when an admin changes memberships.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "domain/custom_field.hpp"
#include "domain/department.hpp"
#include "domain/ticket.hpp"
#include "domain/ticket_access.hpp"
#include "domain/ticket_filter.hpp"
#include "domain/ticket_form.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

struct SavedView {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::int64_t> owner_id;
  TicketFilter filter;
  std::string filter_json;
  std::string sort;
  std::vector<std::string> columns;  // the inbox's, in order; empty: the default
  int position = 0;
};

struct Catalog {
  std::vector<Status> statuses;
  std::vector<Department> departments;
  std::vector<FieldDefinition> fields;
  std::vector<TicketForm> forms;
  std::vector<SavedView> views;
  // The directory's catalog generation when this was read, and the live one: a write that
  // sees them differ reads the views again inside its own transaction (load_saved_views).
  std::uint64_t views_generation = 0;
  const std::atomic<std::uint64_t>* live_views_generation = nullptr;
  // Read while a view change was being written: it may lack the view even though the change
  // commits before a later write runs (writers side by side), so writes never trust its views.
  bool views_unsettled = false;

  bool views_stale() const {
    return views_unsettled ||
           (live_views_generation && live_views_generation->load() != views_generation);
  }
  const Status* status(std::int64_t id) const;
  const Status* default_status(StatusCategory category) const;
  const Department* department(std::int64_t id) const;
  const Department* department_by_name(std::string_view name) const;
};

// Parses a saved view's or list request's filter JSON into a TicketFilter (shared by the
// views API, which validates, and the cache, which trusts what it stored).
Result<TicketFilter> parse_filter_json(std::string_view json, const Catalog& catalog);
// The saved views as `c` sees them (its own uncommitted changes included).
Result<std::vector<SavedView>> load_saved_views(store::Connection& c, const Catalog& catalog);

class Directory {
 public:
  Directory(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The catalog as of now; reloads after invalidate().
  Result<std::shared_ptr<const Catalog>> catalog();
  void invalidate_catalog();
  // Called inside every write that adds, changes or removes a saved view. Other writers
  // (PostgreSQL) are held off until it commits, so the view's first count misses no ticket
  // written beside it. The generation moves now (for later writes of the same batch) and again
  // after the commit (for catalogs read between the two, which lack the view), so every later
  // ticket write sees a stale catalog and reads the views from its own transaction.
  Result<void> note_views_changed_in_write(store::Connection& c);

  // Around every write that changes saved views (whatever its outcome): catalogs read meanwhile
  // are unsettled (see Catalog::views_unsettled).
  void begin_views_change() { views_changing_.fetch_add(1); }
  void end_views_change();

  // Rules and settings the services keep in a SharedCache (triggers, automations, SLA,
  // assignment, webhooks) share one version. After every committed change, settings_changed()
  // moves it and drops the catalog, here and, through the broadcaster (PostgreSQL), on every
  // other node, whose relay calls settings_changed_here() (this node only).
  const std::atomic<std::uint64_t>& settings_version() const { return settings_version_; }
  void settings_changed();
  void settings_changed_here();
  void set_settings_broadcaster(std::function<void()> broadcaster) {
    settings_broadcaster_ = std::move(broadcaster);
  }
  // Told after every settings change on this node (the server loads new models then); it must
  // return at once: it may be called on the writer thread.
  void set_on_settings_changed(std::function<void()> listener) {
    std::lock_guard lock(mutex_);
    on_settings_changed_ = std::move(listener);
  }

  Result<Viewer> viewer(const Principal& who);
  void invalidate_viewers();
  // One person's viewer changed (their account): forget it here; their live connections are
  // ended through the credential cache, nobody else's.
  void forget_viewer(std::int64_t user_id);
  // Called after invalidate_viewers: live connections keep a viewer and must let it go.
  void set_on_viewers_changed(std::function<void()> listener) {
    on_viewers_changed_ = std::move(listener);
  }

 private:
  store::Database& db_;
  const Clock& clock_;
  std::mutex mutex_;
  std::shared_ptr<const Catalog> catalog_;  // guarded by mutex_
  std::atomic<std::uint64_t> views_generation_{0};
  std::atomic<int> views_changing_{0};
  std::atomic<std::uint64_t> settings_version_{0};
  std::function<void()> settings_broadcaster_;  // set once at start-up
  std::function<void()> on_settings_changed_;   // guarded by mutex_
  struct CachedViewer {
    Viewer viewer;
    Millis loaded_at;
    std::optional<std::int64_t> role_id;  // the custom role it was loaded for
  };
  std::unordered_map<std::int64_t, CachedViewer> viewers_;  // guarded by mutex_
  std::function<void()> on_viewers_changed_;                // set once at start-up
};

}  // namespace gongdan::services
