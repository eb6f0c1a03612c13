// Macros: a named set of actions (set fields, tags, assign) plus a reply or note text (a
// template) an agent applies to a ticket in one step, as one ticket command. Personal (the
// agent's own) or shared (admins). Their list, reading and editing is the declared resource
// `macros` (services/resource_service.hpp); what is special to them, checking the actions and
// the reply and applying one to a ticket, is here.
#pragma once

#include "domain/macro.hpp"
#include "domain/resource.hpp"
#include "services/directory.hpp"
#include "services/principal.hpp"
#include "services/resource_service.hpp"
#include "services/tickets_service.hpp"

namespace gongdan::services {

const Resource<Macro>& macro_resource();

class MacrosService {
 public:
  MacrosService(store::Database& db, Directory& directory, TicketsService& tickets)
      : db_(db), directory_(directory), tickets_(tickets) {}

  // Declares the resource with its checks.
  void add_to(Resources& resources);
  // Applies the macro to ticket `number`: its changes and its reply in one command.
  Result<Ticket> apply(const Principal& who, std::int64_t number, std::int64_t id);

 private:
  Result<void> check(Macro& macro);

  store::Database& db_;
  Directory& directory_;
  TicketsService& tickets_;
  ResourceService* items_ = nullptr;  // set by add_to
};

}  // namespace gongdan::services
