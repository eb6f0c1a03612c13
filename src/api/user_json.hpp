// JSON shapes shared by several handlers.
#pragma once

#include "api/json.hpp"
#include "domain/user.hpp"

namespace gongdan::api {

json::object user_json(const User& user);

}  // namespace gongdan::api
