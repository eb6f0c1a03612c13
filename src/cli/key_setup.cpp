#include "cli/key_setup.hpp"

#include <algorithm>
#include <filesystem>

#include "services/key_check.hpp"

namespace gongdan::cli {
namespace {

namespace fs = std::filesystem;

}  // namespace

services::KeySource key_source(const Config& config) {
  if (!config.keys.empty()) return services::KeySource{{}, config.keys};
  if (!config.key_file.empty()) return services::KeySource{config.key_file, {}};
  return services::KeySource{fs::path(config.data) / "mail.key", {}};
}

bool keys_in_data_directory(const Config& config) {
  const auto source = key_source(config);
  if (source.from_environment()) return false;
  std::error_code ec;
  const auto data = fs::weakly_canonical(config.data, ec);
  const auto file = fs::weakly_canonical(source.file, ec);
  const auto [d, f] = std::mismatch(data.begin(), data.end(), file.begin(), file.end());
  return d == data.end();
}

Result<std::shared_ptr<services::Keys>> open_keys(const Config& config, store::Database& db,
                                                  Millis now, bool record) {
  const auto source = key_source(config);
  GONGDAN_ASSIGN(auto recorded, services::recorded_keys(db));
  auto keys = services::Keys::load(source);
  if (!keys && keys.error().code == ErrorCode::kNotFound) {
    for (const auto& r : recorded)
      if (!r.retired)
        return fail(ErrorCode::kUnavailable,
                    "no key file at " + source.name() +
                        ", but this install's files and secrets are encrypted with key " + r.id +
                        " (fingerprint " + r.fingerprint +
                        "): put the key file back, or point key_file or GONGDAN_KEYS at the keys "
                        "(docs/encryption.md)");
    const fs::path old_place = fs::path(config.data) / "mail.key";
    std::error_code ec;
    if (source.file != old_place && fs::exists(old_place, ec))
      return fail(ErrorCode::kUnavailable,
                  "no key file at " + source.name() + ", but " + old_place.string() +
                      " exists: this install's secrets are sealed with it. Move it there "
                      "(mv " +
                      old_place.string() + " " + source.name() + ") and start again");
    keys = services::Keys::create(source.file);
    if (!keys && keys.error().code == ErrorCode::kConflict) keys = services::Keys::load(source);
  }
  if (!keys) return fail(keys.error());
  GONGDAN_TRY(services::check_keys(db, *(*keys)->ring(), source.name(), now, record));
  return std::move(*keys);
}

}  // namespace gongdan::cli
