// Persistence of which encryption keys an install's files and sealed secrets need (by id and
// fingerprint, never the keys themselves: services/key_ring.hpp), and the generic reads and
// compare-and-set writes `gongdan keys rotate` re-seals stored secrets with.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

struct EncryptionKeyRow {
  std::string id;
  std::string fingerprint;
  Millis added_at = 0;
  std::optional<Millis> retired_at;
};

Result<std::vector<EncryptionKeyRow>> list_encryption_keys(Connection& c);
// Records a key in use; a key recorded already (even retired) is left as it is.
Result<void> add_encryption_key(Connection& c, std::string_view id, std::string_view fingerprint,
                                Millis now);
Result<void> retire_encryption_key(Connection& c, std::string_view id, Millis now);

// Where sealed secrets are stored: a table's text column, its rows found by an integer column.
// The names come from declarations in the code (never from a request).
struct SealedColumn {
  std::string table;
  std::string id_column;
  std::string column;
  bool operator==(const SealedColumn&) const = default;
};

struct SealedValue {
  std::int64_t row = 0;
  std::string value;
};

// Up to `limit` sealed values ("v1:…", "v2:…") of rows after `after`, in row order, leaving out
// those sealed with `current_key`.
Result<std::vector<SealedValue>> sealed_values_not_under(Connection& c, const SealedColumn& where,
                                                         std::string_view current_key,
                                                         std::int64_t after, int limit);
// How many values are sealed with `key` ("k0" counts the "v1:" ones too).
Result<std::int64_t> count_sealed_under(Connection& c, const SealedColumn& where,
                                        std::string_view key);
// Replaces a row's value only when it still holds `old_value` (a change made meanwhile wins).
Result<bool> replace_sealed_value(Connection& c, const SealedColumn& where, std::int64_t row,
                                  std::string_view old_value, std::string_view new_value);

}  // namespace gongdan::store
