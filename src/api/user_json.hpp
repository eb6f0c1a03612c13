// JSON shapes shared by several handlers, and their schemas in the OpenAPI document.
#pragma once

#include "api/json.hpp"
#include "api/schema.hpp"
#include "domain/permission.hpp"
#include "domain/user.hpp"
#include "services/users_service.hpp"

namespace gongdan::api {

class Router;

json::object user_json(const User& user);
// The signed-in user and what their role allows (GET /api/v1/me, and the sign-in answers).
json::object me_json(const User& user, PermissionSet permissions);
// A contact with its organization, notes, and other emails and phones.
json::object contact_json(const User& user, const services::Identities& identities);

// User and Contact (the answers above), Role and Locale.
void define_user_schemas(Router& router);
// The fields a person sets about themselves (profile, sign-up), as schema properties.
schema::Schema profile_properties();

}  // namespace gongdan::api
