// The schema, as a list of migrations. Add a new entry at the end; never edit a released one.
#pragma once

#include <vector>

#include "store/migrations.hpp"

namespace gongdan::store {

const std::vector<Migration>& schema_migrations();
// Migration 3: jobs, webhooks, webhook deliveries (schema_jobs.cpp).
std::string_view jobs_schema();

}  // namespace gongdan::store
