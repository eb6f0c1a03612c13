#include "services/key_rotation.hpp"

#include "store/database.hpp"
#include "store/keys_store.hpp"

namespace gongdan::services {
namespace {

store::SealedColumn sealed_column_of(const SealedPlace& p) {
  return {p.table, p.id_column, p.column};
}

constexpr int kResealBatch = 200;

}  // namespace

std::vector<SealedPlace> sealed_places(const std::vector<const ResourceInfo*>& resources) {
  std::vector<SealedPlace> places;
  for (const auto* info : resources) {
    for (const auto& f : info->fields) {
      if (!f.sealed || !f.stored()) continue;
      places.push_back(SealedPlace{std::string(info->table.empty() ? info->name : info->table),
                                   std::string(info->id_column()), std::string(f.stored_in())});
    }
  }
  // Two-factor secrets are sealed by services/second_factor.cpp, outside any resource.
  places.push_back(SealedPlace{"second_factors", "user_id", "secret"});
  return places;
}

KeyRotation::KeyRotation(store::Database& db, const Clock& clock, std::shared_ptr<Keys> keys,
                         AttachmentFiles& files, std::vector<SealedPlace> places)
    : db_(db), clock_(clock), keys_(std::move(keys)), files_(files), places_(std::move(places)) {}

Result<KeyUsage> KeyRotation::usage() {
  KeyUsage out;
  GONGDAN_TRY(files_.for_each_blob([&](const std::string& sha) -> Result<void> {
    auto key = files_.key_of(sha);
    if (!key && key.error().code == ErrorCode::kNotFound) return {};  // deleted meanwhile
    if (!key) return fail(key.error());
    ++out.files[*key];
    return {};
  }));
  const auto ring = keys_->ring();
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    for (const auto& place : places_) {
      for (const auto& k : ring->keys()) {
        GONGDAN_ASSIGN(auto n, store::count_sealed_under(c, sealed_column_of(place), k.id));
        if (n > 0) out.secrets[k.id] += n;
      }
    }
    return {};
  }));
  return out;
}

Result<RotationCounts> KeyRotation::move_to_current(
    const std::function<void(std::int64_t)>& progress) {
  RotationCounts counts;
  GONGDAN_TRY(files_.for_each_blob([&](const std::string& sha) -> Result<void> {
    GONGDAN_ASSIGN(bool rewritten, files_.reencrypt(sha));
    if (rewritten) {
      ++counts.files_encrypted;
      if (progress) progress(counts.files_encrypted);
    }
    return {};
  }));
  const SecretBox box(keys_);
  for (const auto& place : places_) {
    const auto where = sealed_column_of(place);
    std::int64_t after = 0;
    for (;;) {
      const std::string current = keys_->ring()->current().id;
      GONGDAN_ASSIGN(auto batch, store::read_value(db_, [&](store::Connection& c) {
                       return store::sealed_values_not_under(c, where, current, after,
                                                             kResealBatch);
                     }));
      if (batch.empty()) break;
      after = batch.back().row;
      std::vector<std::pair<store::SealedValue, std::string>> changes;
      for (auto& v : batch) {
        GONGDAN_ASSIGN(auto plain, box.open(v.value));
        changes.emplace_back(std::move(v), box.seal(plain));
      }
      GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
        for (const auto& [old, sealed] : changes) {
          GONGDAN_ASSIGN(bool changed,
                         store::replace_sealed_value(c, where, old.row, old.value, sealed));
          if (changed) ++counts.secrets_resealed;
        }
        return {};
      }));
    }
  }
  return counts;
}

Result<void> KeyRotation::retire(const std::vector<std::string>& ids) {
  if (ids.empty()) return {};
  const Millis now = clock_.now_ms();
  // The database first: were the file rewritten first and this write then failed, start-up
  // would miss a key the database still names as needed.
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    for (const auto& id : ids) GONGDAN_TRY(store::retire_encryption_key(c, id, now));
    return {};
  }));
  if (keys_->source().from_environment()) return {};
  return keys_->save(keys_->ring()->without(ids));
}

}  // namespace gongdan::services
