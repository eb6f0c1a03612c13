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
  out.schema_version = *version;
  out.state = *version < store::latest_schema_version() ? Readiness::State::kMigrating
                                                        : Readiness::State::kReady;
  return out;
}

}  // namespace gongdan::services
