// What a ticket record of Zendesk's API and of Freshdesk's API v2 have in common: the same
// member names for its id, subject, requester, tags and times. Each format's reader starts from
// this and reads the rest (status, priority, channel, custom fields, messages) its own way.
// Pure; no I/O.
#pragma once

#include <boost/json.hpp>

#include "domain/import_record.hpp"
#include "util/result.hpp"

namespace gongdan::import {

// A ticket with `id` (its ref), `subject`, `requester_id`, `tags`, `created_at` and
// `updated_at` (when missing, the creation time) read; an error when the id, the requester or
// the creation time is missing, or a time is not one.
Result<ImportTicket> api_ticket(const boost::json::object& o);

}  // namespace gongdan::import
