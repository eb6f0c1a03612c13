#include "api/user_json.hpp"

namespace gongdan::api {

json::object user_json(const User& u) {
  return json::object{{"id", u.id},         {"email", u.email},
                      {"name", u.name},     {"role", role_name(u.role)},
                      {"locale", u.locale}, {"time_zone", u.time_zone},
                      {"active", u.active}, {"created_at", iso_time(u.created_at)}};
}

}  // namespace gongdan::api
