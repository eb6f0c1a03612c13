#include "api/user_json.hpp"

namespace gongdan::api {

json::object user_json(const User& u) {
  return json::object{{"id", u.id},         {"email", u.email},
                      {"name", u.name},     {"role", role_name(u.role)},
                      {"locale", u.locale}, {"time_zone", u.time_zone},
                      {"active", u.active}, {"created_at", iso_time(u.created_at)}};
}

json::object contact_json(const User& u, const services::Identities& identities) {
  auto o = user_json(u);
  o["organization"] = u.organization_id ? json::value(*u.organization_id) : json::value(nullptr);
  o["notes"] = u.notes;
  json::array emails, phones;
  for (const auto& e : identities.emails) emails.emplace_back(e);
  for (const auto& p : identities.phones) phones.emplace_back(p);
  o["emails"] = std::move(emails);
  o["phones"] = std::move(phones);
  return o;
}

}  // namespace gongdan::api
