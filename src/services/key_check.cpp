#include "services/key_check.hpp"

#include <algorithm>

#include "store/database.hpp"
#include "store/keys_store.hpp"

namespace gongdan::services {

Result<std::vector<RecordedKey>> recorded_keys(store::Database& db) {
  GONGDAN_ASSIGN(auto rows, store::read_value(db, [](store::Connection& c) {
                   return store::list_encryption_keys(c);
                 }));
  std::vector<RecordedKey> out;
  for (auto& r : rows)
    out.push_back(RecordedKey{std::move(r.id), std::move(r.fingerprint), r.retired_at.has_value()});
  return out;
}

std::vector<std::string> key_problems(const KeyRing& ring, const std::vector<RecordedKey>& recorded,
                                      std::string_view source) {
  std::vector<std::string> problems;
  const std::string from(source);
  for (const auto& r : recorded) {
    const EncryptionKey* key = ring.find(r.id);
    if (!key) {
      if (!r.retired)
        problems.push_back("this install's files and secrets need key " + r.id + " (fingerprint " +
                           r.fingerprint + "), which " + from +
                           " does not hold: configure the keys it was encrypted with "
                           "(key_file or GONGDAN_KEYS; docs/encryption.md)");
      continue;
    }
    if (key->fingerprint() != r.fingerprint)
      problems.push_back("key " + r.id + " in " + from + " is not the key " + r.id +
                         " this install was encrypted with (fingerprint " + key->fingerprint() +
                         ", expected " + r.fingerprint + "): these are another install's keys");
  }
  return problems;
}

Result<void> check_keys(store::Database& db, const KeyRing& ring, std::string_view source,
                        Millis now, bool record) {
  GONGDAN_ASSIGN(auto recorded, recorded_keys(db));
  const auto problems = key_problems(ring, recorded, source);
  if (!problems.empty()) {
    std::string message = problems.front();
    for (std::size_t i = 1; i < problems.size(); ++i) message += "; " + problems[i];
    return fail(ErrorCode::kUnavailable, message);
  }
  if (!record) return {};
  std::vector<const EncryptionKey*> missing;
  for (const auto& k : ring.keys()) {
    const bool known = std::any_of(recorded.begin(), recorded.end(),
                                   [&](const RecordedKey& r) { return r.id == k.id; });
    if (!known) missing.push_back(&k);
  }
  if (missing.empty()) return {};
  return db.write([&](store::Connection& c) -> Result<void> {
    for (const auto* k : missing)
      GONGDAN_TRY(store::add_encryption_key(c, k->id, k->fingerprint(), now));
    return {};
  });
}

}  // namespace gongdan::services
