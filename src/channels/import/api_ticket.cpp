#include "channels/import/api_ticket.hpp"

#include "channels/import/import_text.hpp"
#include "channels/import/json_records.hpp"
#include "util/text.hpp"

namespace gongdan::import {

Result<ImportTicket> api_ticket(const boost::json::object& o) {
  ImportTicket t;
  t.ref = text_of(o, "id");
  if (t.ref.empty() || t.ref.size() > kMaxRefLength)
    return fail(ErrorCode::kInvalidArgument, "no id");
  t.subject = text::trim(text_of(o, "subject"));
  t.requester_ref = text_of(o, "requester_id");
  if (t.requester_ref.empty()) return fail(ErrorCode::kInvalidArgument, "no requester_id");
  t.tags = texts_of(o, "tags");
  bool bad = false;
  auto created = time_of(o, "created_at", bad);
  auto updated = time_of(o, "updated_at", bad);
  if (bad || !created) return fail(ErrorCode::kInvalidArgument, "created_at is not a time");
  t.created_at = *created;
  t.updated_at = updated.value_or(*created);
  return t;
}

void read_api_organizations(std::string_view bytes, std::string_view file, std::string_view key,
                            const OrganizationMembers& members, ImportData& out) {
  each_record(bytes, file, key, out, [&](const boost::json::object& o) -> std::string {
    ImportOrganization org{text_of(o, "id"), text::trim(text_of(o, "name")),
                           texts_of(o, members.domains), text_of(o, members.notes)};
    if (org.ref.empty() || org.name.empty())
      return std::string(members.noun) + " needs an id and a name";
    if (auto more = text_of(o, members.more_notes); !more.empty())
      org.notes += (org.notes.empty() ? "" : "\n") + more;
    out.organizations.push_back(std::move(org));
    return {};
  });
}

std::string add_api_person(ImportPerson p, std::string_view noun, std::string_view email_member,
                           ImportData& out) {
  if (p.ref.empty()) return std::string(noun) + " needs an id";
  if (!p.email.empty() && !text::looks_like_email(p.email))
    return std::string(email_member) + " is not an email address";
  out.people.push_back(std::move(p));
  return {};
}

}  // namespace gongdan::import
