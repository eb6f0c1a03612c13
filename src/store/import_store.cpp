#include "store/import_store.hpp"

#include "store/select_by_ids.hpp"
#include "util/text.hpp"

namespace gongdan::store {

Result<std::unordered_map<std::string, std::int64_t>> load_import_refs(Connection& c,
                                                                       std::string_view source,
                                                                       std::string_view kind) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT external_id, local_id FROM import_refs "
                               "WHERE source = ? AND kind = ?"));
  q.bind(source, kind);
  GONGDAN_ASSIGN(auto rows, read_rows(q, [](const Query& r) {
                   return std::pair{r.text(0), r.integer(1)};
                 }));
  return std::unordered_map<std::string, std::int64_t>(rows.begin(), rows.end());
}

Result<std::optional<std::int64_t>> find_import_ref(Connection& c, std::string_view source,
                                                    std::string_view kind,
                                                    std::string_view external_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT local_id FROM import_refs "
                               "WHERE source = ? AND kind = ? AND external_id = ?"));
  q.bind(source, kind, external_id);
  GONGDAN_ASSIGN(bool row, q.next());
  if (!row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>(q.integer(0));
}

Result<void> put_import_ref(Connection& c, std::string_view source, std::string_view kind,
                            std::string_view external_id, std::int64_t local_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO import_refs (source, kind, external_id, local_id) "
                               "VALUES (?, ?, ?, ?)"));
  q.bind(source, kind, external_id, local_id);
  return q.run();
}

Result<std::unordered_map<std::int64_t, ImportRef>> import_refs_of_tickets(
    Connection& c, const std::vector<std::int64_t>& ticket_ids) {
  std::unordered_map<std::int64_t, ImportRef> out;
  if (ticket_ids.empty()) return out;
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT local_id, source, external_id FROM import_refs "
                               "WHERE kind = 'ticket' AND local_id IN (" +
                                   question_marks(ticket_ids.size()) + ")"));
  for (std::size_t i = 0; i < ticket_ids.size(); ++i)
    q.statement().bind_int(static_cast<int>(i) + 1, ticket_ids[i]);
  while (true) {
    GONGDAN_ASSIGN(bool row, q.next());
    if (!row) break;
    out[q.integer(0)] = ImportRef{q.text(1), q.text(2)};
  }
  return out;
}

Result<std::vector<std::int64_t>> tickets_with_import_ref(Connection& c,
                                                          std::string_view external_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT local_id FROM import_refs "
                               "WHERE kind = 'ticket' AND external_id = ? ORDER BY local_id"));
  q.bind(external_id);
  return read_ids(q);
}

Result<std::int64_t> import_position(Connection& c, std::string_view source) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT position FROM import_runs WHERE source = ?"));
  q.bind(source);
  GONGDAN_ASSIGN(bool row, q.next());
  return row ? q.integer(0) : std::int64_t{0};
}

Result<void> save_import_position(Connection& c, std::string_view source, std::int64_t position,
                                  Millis now) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO import_runs (source, position, updated_at) "
                               "VALUES (?, ?, ?) ON CONFLICT (source) DO UPDATE SET "
                               "position = excluded.position, updated_at = excluded.updated_at"));
  q.bind(source, position, now);
  return q.run();
}

Result<void> set_imported_times(Connection& c, std::int64_t ticket_id, Millis updated_at,
                                std::optional<Millis> solved_at,
                                std::optional<Millis> first_response_at) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE tickets SET updated_at = ?, solved_at = ?, "
                               "first_response_at = ? WHERE id = ?"));
  q.bind(updated_at, solved_at, first_response_at, ticket_id);
  return q.run();
}

Result<std::optional<std::int64_t>> find_organization_by_name(Connection& c,
                                                              std::string_view name) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT id FROM organizations WHERE name_norm = ?"));
  q.bind(text::to_lower_ascii(name));
  GONGDAN_ASSIGN(bool row, q.next());
  if (!row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>(q.integer(0));
}

}  // namespace gongdan::store
