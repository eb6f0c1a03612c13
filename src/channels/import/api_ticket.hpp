// What the records of Zendesk's API and of Freshdesk's API v2 have in common: a ticket's member
// names for its id, subject, requester, tags and times, and how an organization and a person
// are checked. Each format's reader starts from this and reads the rest (status, priority,
// channel, custom fields, messages) its own way. Pure; no I/O.
#pragma once

#include <boost/json.hpp>

#include <string>
#include <string_view>

#include "domain/import_record.hpp"
#include "util/result.hpp"

namespace gongdan::import {

// A ticket with `id` (its ref), `subject`, `requester_id`, `tags`, `created_at` and
// `updated_at` (when missing, the creation time) read; an error when the id, the requester or
// the creation time is missing, or a time is not one.
Result<ImportTicket> api_ticket(const boost::json::object& o);

// The members an organization record keeps its domains and notes in, and what the format calls
// one ("a company").
struct OrganizationMembers {
  std::string_view noun;
  std::string_view domains;  // an array
  std::string_view notes;
  std::string_view more_notes;  // added to the notes on a line of their own
};

// The organizations of a file (`key` names the array of an API page), each with its `id` and
// `name`; one without either is a problem and is left out.
void read_api_organizations(std::string_view bytes, std::string_view file, std::string_view key,
                            const OrganizationMembers& members, ImportData& out);

// `p` added to `out`; "" or why it is left out: `noun` ("a contact") needs an id, and the email,
// when given (read from the member `email_member`), must look like one.
std::string add_api_person(ImportPerson p, std::string_view noun, std::string_view email_member,
                           ImportData& out);

}  // namespace gongdan::import
