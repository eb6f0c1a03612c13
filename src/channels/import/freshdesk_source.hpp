// Freshdesk's API v2 formats: the lists `GET /api/v2/companies`, `/contacts`, `/agents` and
// `/tickets` answer (a JSON array, or JSON Lines), and a ticket's conversations
// (`GET /api/v2/tickets/{id}/conversations`). Pure; no I/O. docs/import.md lists the fields
// read and how statuses, priorities and sources map.
#pragma once

#include <string_view>

#include "domain/import_record.hpp"

namespace gongdan::import {

void read_freshdesk_companies(std::string_view bytes, std::string_view file, ImportData& out);
void read_freshdesk_contacts(std::string_view bytes, std::string_view file, ImportData& out);
void read_freshdesk_agents(std::string_view bytes, std::string_view file, ImportData& out);
// Tickets; the description is the first message, from the requester, and conversations inside
// a ticket (`"conversations": [...]`) follow it.
void read_freshdesk_tickets(std::string_view bytes, std::string_view file, ImportData& out);
// One ticket's conversations, after its description. False, with a problem, when unreadable.
bool read_freshdesk_conversations(std::string_view bytes, std::string_view file,
                                  ImportTicket& ticket, ImportData& out);

}  // namespace gongdan::import
