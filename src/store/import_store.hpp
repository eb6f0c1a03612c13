// Persistence of what an import remembers (migration 21): each imported record's id in its
// source, and each source's checkpoint. Functions run inside a write or read callback.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

// Every id of `kind` ("ticket", "user", "organization") imported from `source`, to its row's id.
Result<std::unordered_map<std::string, std::int64_t>> load_import_refs(Connection& c,
                                                                       std::string_view source,
                                                                       std::string_view kind);
Result<std::optional<std::int64_t>> find_import_ref(Connection& c, std::string_view source,
                                                    std::string_view kind,
                                                    std::string_view external_id);
Result<void> put_import_ref(Connection& c, std::string_view source, std::string_view kind,
                            std::string_view external_id, std::int64_t local_id);

struct ImportRef {
  std::string source;
  std::string external_id;
};
// Where the tickets of `ticket_ids` came from, by ticket id (those imported only).
Result<std::unordered_map<std::int64_t, ImportRef>> import_refs_of_tickets(
    Connection& c, const std::vector<std::int64_t>& ticket_ids);
// The tickets imported with this id, from any source.
Result<std::vector<std::int64_t>> tickets_with_import_ref(Connection& c,
                                                          std::string_view external_id);

// How far the source's tickets are committed (0 before the first batch).
Result<std::int64_t> import_position(Connection& c, std::string_view source);
Result<void> save_import_position(Connection& c, std::string_view source, std::int64_t position,
                                  Millis now);

// The times an imported ticket had in its source, written after its messages.
Result<void> set_imported_times(Connection& c, std::int64_t ticket_id, Millis updated_at,
                                std::optional<Millis> solved_at,
                                std::optional<Millis> first_response_at);

// An organization by its name, case-folded as the catalog stores it.
Result<std::optional<std::int64_t>> find_organization_by_name(Connection& c, std::string_view name);

}  // namespace gongdan::store
