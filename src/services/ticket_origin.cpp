// Where an imported ticket came from (store: import_refs, written by the import service).
#include "services/tickets_service.hpp"
#include "store/database.hpp"
#include "store/import_store.hpp"

namespace gongdan::services {

Result<std::optional<ImportOrigin>> TicketsService::import_origin(std::int64_t ticket_id) {
  std::optional<ImportOrigin> out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto refs, store::import_refs_of_tickets(c, {ticket_id}));
    if (auto it = refs.find(ticket_id); it != refs.end())
      out = ImportOrigin{it->second.source, it->second.external_id};
    return {};
  }));
  return out;
}

}  // namespace gongdan::services
