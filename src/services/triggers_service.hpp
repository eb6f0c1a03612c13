// Triggers: admin-defined rules (domain/rule.hpp) that run inside every ticket command, so what
// a rule changes commits with what caused it. Supported actions: set_field (status by name,
// priority, type, department and assignee by id), add_tags, remove_tags, assign to an agent,
// add_note (a template). The active rules are cached as one RuleSet; with none, a command
// costs nothing extra.
#pragma once

#include <memory>
#include <mutex>

#include "domain/rule_set.hpp"
#include "services/directory.hpp"
#include "services/principal.hpp"
#include "services/ticket_hooks.hpp"
#include "store/triggers_store.hpp"

namespace gongdan::services {

struct TriggerInput {
  std::optional<std::string> name;
  std::optional<int> position;
  std::optional<bool> active;
  std::optional<boost::json::value> conditions;
  std::optional<boost::json::value> actions;
};

class TriggersService final : public TriggerRunner {
 public:
  TriggersService(store::Database& db, const Clock& clock, Directory& directory)
      : db_(db), clock_(clock), directory_(directory) {}

  Result<std::vector<store::TriggerRow>> list(const Principal& who);
  Result<store::TriggerRow> get(const Principal& who, std::int64_t id);
  Result<store::TriggerRow> create(const Principal& who, const TriggerInput& in);
  Result<store::TriggerRow> update(const Principal& who, std::int64_t id, const TriggerInput& in);
  Result<void> remove(const Principal& who, std::int64_t id);

  Result<TriggerOutcome> run(store::Connection& c, const Catalog& catalog, const Ticket* before,
                             Ticket& after, const Message* message, Millis now) override;

  struct Compiled;

 private:
  Result<std::shared_ptr<const Compiled>> compiled(store::Connection& c);
  void invalidate();
  Result<void> validate(store::TriggerRow& row, const TriggerInput& in, bool creating);

  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  std::mutex mutex_;
  std::shared_ptr<const Compiled> compiled_;  // guarded by mutex_
};

// The facts rules see for a ticket (and the message of the change, if any).
FactMap ticket_facts(const Ticket& t, const Catalog& catalog, const Message* message,
                     std::string_view update_type);

}  // namespace gongdan::services
