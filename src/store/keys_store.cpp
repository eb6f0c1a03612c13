#include "store/keys_store.hpp"

#include "store/column_table.hpp"

namespace gongdan::store {
namespace {

const ColumnTable kKeys("encryption_keys", column("key_id", &EncryptionKeyRow::id),
                        column("fingerprint", &EncryptionKeyRow::fingerprint),
                        column("added_at", &EncryptionKeyRow::added_at),
                        column("retired_at", &EncryptionKeyRow::retired_at));

}  // namespace

Result<std::vector<EncryptionKeyRow>> list_encryption_keys(Connection& c) {
  static const std::string sql = kKeys.select("ORDER BY added_at, key_id");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_rows(q, kKeys);
}

Result<void> add_encryption_key(Connection& c, std::string_view id, std::string_view fingerprint,
                                Millis now) {
  return run(c,
             "INSERT INTO encryption_keys (key_id, fingerprint, added_at) VALUES (?, ?, ?) "
             "ON CONFLICT (key_id) DO NOTHING",
             id, fingerprint, now);
}

Result<void> retire_encryption_key(Connection& c, std::string_view id, Millis now) {
  return run(c, "UPDATE encryption_keys SET retired_at = ? WHERE key_id = ? AND retired_at IS NULL",
             now, id);
}

Result<std::vector<SealedValue>> sealed_values_not_under(Connection& c, const SealedColumn& where,
                                                         std::string_view current_key,
                                                         std::int64_t after, int limit) {
  const std::string sql = "SELECT " + where.id_column + ", " + where.column + " FROM " +
                          where.table + " WHERE " + where.id_column + " > ? AND (" + where.column +
                          " LIKE 'v1:%' OR " + where.column + " LIKE 'v2:%') AND " + where.column +
                          " NOT LIKE ? ORDER BY " + where.id_column + " LIMIT ?";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  q.bind(after, "v2:" + std::string(current_key) + ":%", limit);
  return read_rows(q, [](const Query& r) { return SealedValue{r.integer(0), r.text(1)}; });
}

Result<std::int64_t> count_sealed_under(Connection& c, const SealedColumn& where,
                                        std::string_view key) {
  std::string sql = "SELECT COUNT(*) FROM " + where.table + " WHERE " + where.column + " LIKE ?";
  if (key == "k0") sql += " OR " + where.column + " LIKE 'v1:%'";  // sealed before key ids
  return select_count(c, sql, "v2:" + std::string(key) + ":%");
}

Result<bool> replace_sealed_value(Connection& c, const SealedColumn& where, std::int64_t row,
                                  std::string_view old_value, std::string_view new_value) {
  const std::string sql = "UPDATE " + where.table + " SET " + where.column + " = ? WHERE " +
                          where.id_column + " = ? AND " + where.column + " = ?";
  return run_changed(c, sql, new_value, row, old_value);
}

}  // namespace gongdan::store
