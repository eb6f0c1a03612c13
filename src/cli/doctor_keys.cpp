// `gongdan doctor`'s look at the encryption keys (docs/encryption.md): where they are, whether
// they are the keys this install's files and secrets were encrypted with.
#include <fmt/format.h>

#include "cli/doctor.hpp"
#include "cli/key_setup.hpp"
#include "services/key_check.hpp"

namespace gongdan::cli::doctor {

void check_keys(const Config& config, store::Database& db, Findings& out) {
  const auto source = key_source(config);
  // A database from before key records (its migrations pending: the database finding says so)
  // records none yet; its first start will.
  auto recorded = services::recorded_keys(db);
  if (!recorded) recorded = std::vector<services::RecordedKey>{};
  auto keys = services::Keys::load(source);
  if (!keys) {
    std::string needed;
    for (const auto& k : *recorded)
      if (!k.retired)
        needed += (needed.empty() ? "" : ", ") + k.id + " (fingerprint " + k.fingerprint + ")";
    if (keys.error().code == ErrorCode::kNotFound && needed.empty()) {
      out.ok("keys", "no key yet: the first start makes " + source.name());
      return;
    }
    std::string message = keys.error().message;
    if (!needed.empty())
      message += ", but this install's files and secrets are encrypted with key " + needed;
    out.error("keys", message,
              "put back the key file this install was encrypted with, or point key_file or "
              "GONGDAN_KEYS at it; without it no attachment or stored secret can be read");
    return;
  }
  const auto ring = (*keys)->ring();
  const auto problems = services::key_problems(*ring, *recorded, source.name());
  for (const auto& p : problems)
    out.error("keys", p, "configure the keys this install was encrypted with");
  if (!problems.empty()) return;
  std::string older;
  for (const auto& k : ring->keys())
    if (&k != &ring->current()) older += (older.empty() ? "" : ", ") + k.id;
  out.ok("keys", fmt::format("{} holds the current key {} (fingerprint {}){}", source.name(),
                             ring->current().id, ring->current().fingerprint(),
                             older.empty() ? ""
                                           : "; older keys still read: " + older +
                                                 " (finish with `gongdan keys rotate`)"));
  if (keys_in_data_directory(config))
    out.warn("keys",
             "the keys are inside the data directory: whoever copies it (or a backup of it) can "
             "read every attachment and stored secret",
             "move " + source.name() +
                 " out of the data directory and set key_file (or "
                 "GONGDAN_KEYS) to it");
}

}  // namespace gongdan::cli::doctor
