#include "services/health.hpp"

#include "store/migrations.hpp"

namespace gongdan::services {

Readiness HealthService::readiness() const {
  Readiness out;
  auto version = store::schema_version(db_);
  if (!version) {
    out.reason = version.error().message;
    return out;
  }
  // Pending by the ledger, not by the highest number: a hole below it is pending too.
  auto pending = store::pending_migrations(db_);
  if (!pending) {
    out.reason = pending.error().message;
    return out;
  }
  out.schema_version = *version;
  out.state = pending->empty() ? Readiness::State::kReady : Readiness::State::kMigrating;
  return out;
}

}  // namespace gongdan::services
