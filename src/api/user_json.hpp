// JSON shapes shared by several handlers.
#pragma once

#include "api/json.hpp"
#include "domain/user.hpp"
#include "services/users_service.hpp"

namespace gongdan::api {

json::object user_json(const User& user);
// A contact with its organization, notes, and other emails and phones.
json::object contact_json(const User& user, const services::Identities& identities);

}  // namespace gongdan::api
