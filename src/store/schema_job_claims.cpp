#include "store/schema.hpp"

namespace gongdan::store {

// Which node claimed a running job (0: none, or a single-node install). On PostgreSQL each node
// holds an advisory lock on its key while it lives, so a running job whose claimer's lock is
// free belongs to a dead node and may be queued again.
std::string_view job_claims_schema() {
  return "ALTER TABLE jobs ADD COLUMN claimed_by INTEGER NOT NULL DEFAULT 0;";
}

}  // namespace gongdan::store
