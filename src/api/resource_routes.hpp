// The routes of the declared resources (services::Resources).
#pragma once

#include "api/router.hpp"
#include "services/resource_service.hpp"

namespace gongdan::api {

void add_resource_routes(Router& router, services::Resources& resources);

}  // namespace gongdan::api
