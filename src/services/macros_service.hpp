// Macros: a named set of actions (set fields, tags, assign) plus a reply or note text (a
// template) an agent applies to a ticket in one step, as one ticket command. Personal (the
// agent's own) or shared (admins).
#pragma once

#include <boost/json.hpp>

#include "services/directory.hpp"
#include "services/principal.hpp"
#include "services/tickets_service.hpp"
#include "store/macros_store.hpp"

namespace gongdan::services {

struct MacroInput {
  std::optional<std::string> name, reply;
  std::optional<bool> reply_internal, shared;
  std::optional<boost::json::value> actions;
};

class MacrosService {
 public:
  MacrosService(store::Database& db, const Clock& clock, Directory& directory,
                TicketsService& tickets)
      : db_(db), clock_(clock), directory_(directory), tickets_(tickets) {}

  Result<std::vector<store::MacroRow>> list(const Principal& who);
  Result<store::MacroRow> get(const Principal& who, std::int64_t id);
  Result<store::MacroRow> create(const Principal& who, const MacroInput& in);
  Result<store::MacroRow> update(const Principal& who, std::int64_t id, const MacroInput& in);
  Result<void> remove(const Principal& who, std::int64_t id);
  // Applies the macro to ticket `number`: its changes and its reply in one command.
  Result<Ticket> apply(const Principal& who, std::int64_t number, std::int64_t id);

 private:
  Result<void> validate(store::MacroRow& row, const MacroInput& in, bool creating);
  Result<void> may_change(const Principal& who, const store::MacroRow& row);

  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  TicketsService& tickets_;
};

}  // namespace gongdan::services
