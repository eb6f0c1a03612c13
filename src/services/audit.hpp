// Writing to and reading the audit log. record_audit runs inside the write that it describes,
// so an action and its audit entry commit together or not at all.
//
// The log is tamper-evident: each row carries a MAC (HMAC-SHA256 under a key derived from the
// data directory's key file, SecretBox) of its fields and the previous row's MAC, and the
// audit_head row names the chain's last row under a MAC of its own. Someone who can write to
// the database but has not the key file cannot edit or remove a row, or cut rows off the end,
// without verify() finding it. What it cannot find: the whole log and its head put back to an
// earlier state, both taken from a copy (compare the head with one kept elsewhere).
#pragma once

#include <optional>
#include <vector>

#include "domain/audit_entry.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"

namespace gongdan::services {

class SecretBox;

inline std::optional<std::int64_t> actor_id(const Principal& p) {
  if (p.user.id == 0) return std::nullopt;
  return p.user.id;
}

// The key the chain's MACs are made with (a copy is kept), set when the install opens; without
// one (unit tests of other services) rows are chained with plain SHA-256.
void set_audit_signer(const SecretBox& secrets);

Result<void> record_audit(store::Connection& c, Millis at, std::optional<std::int64_t> actor,
                          std::string_view action, std::string_view target, std::string_view ip,
                          std::string_view detail_json = "{}");

// What verify() found.
struct AuditCheck {
  std::int64_t chained_rows = 0;  // rows checked against the chain
  std::int64_t older_rows = 0;    // rows from before the chain began (not covered)
  std::int64_t last_id = 0;
  std::string head_hash;                  // the newest row's hash: keep it elsewhere to compare
  std::vector<std::string> problems;      // empty: intact; each names the row
  std::optional<std::int64_t> first_bad;  // the first row a problem names
};

class AuditService {
 public:
  explicit AuditService(store::Database& db) : db_(db) {}
  Result<std::vector<AuditEntry>> list(const Principal& who, std::int64_t before_id, int limit,
                                       const AuditFilter& filter = {});
  // Walks the whole chain (admins, or the command line).
  Result<AuditCheck> verify(const Principal& who);

 private:
  store::Database& db_;
};

}  // namespace gongdan::services
