// Zendesk's export formats: the pages of its API and incremental export
// (`{"tickets": [...], "end_of_stream": …}`, `{"users": [...]}`, `{"organizations": [...]}`,
// `{"ticket_fields": [...]}`, a ticket's `{"comments": [...]}`) and the JSON Lines of its admin
// data export (one ticket a line, its comments inside). Pure; no I/O. docs/import.md lists
// the fields read.
#pragma once

#include <string_view>

#include "domain/import_record.hpp"

namespace gongdan::import {

// Each reads one file (`file` names it in messages) and appends to `out`; a record it cannot
// read becomes a problem and is left out.
void read_zendesk_organizations(std::string_view bytes, std::string_view file, ImportData& out);
void read_zendesk_users(std::string_view bytes, std::string_view file, ImportData& out);
void read_zendesk_ticket_fields(std::string_view bytes, std::string_view file, ImportData& out);
// Tickets with their comments when the export has them inside (a ticket without comments gets
// its description as its first message, from the requester).
void read_zendesk_tickets(std::string_view bytes, std::string_view file, ImportData& out);
// The comments of one ticket (the API's ticket comments page): replaces the ticket's messages.
// False, with a problem in `out`, when the file cannot be read.
bool read_zendesk_comments(std::string_view bytes, std::string_view file, ImportTicket& ticket,
                           ImportData& out);

}  // namespace gongdan::import
