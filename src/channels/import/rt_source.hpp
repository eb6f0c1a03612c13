// Request Tracker's REST2 formats (RT 5, `/REST/2.0/`): collection pages (`{"items": [...],
// "page": …}`, a bare array, or JSON Lines) of users and tickets, and per ticket its history
// (`GET /ticket/{id}/history?fields=Type,Creator,Created`) and its attachments (each
// `GET /attachment/{id}`, the content in base64: a collection's `Content` field is raw bytes).
// Pure; no I/O. docs/import.md lists the fields read and how statuses map.
#pragma once

#include <string_view>

#include "domain/import_record.hpp"

namespace gongdan::import {

// Users (`GET /user/{id}`, or `/users?fields=…`); privileged users become agents, their
// `Organization` text an organization. Users are known by `Name`, as tickets name them.
void read_rt_users(std::string_view bytes, std::string_view file, ImportData& out);
// Tickets (`GET /ticket/{id}`, or `/tickets?query=…&fields=…`), without messages: those come
// from each ticket's history.
void read_rt_tickets(std::string_view bytes, std::string_view file, ImportData& out);
// One ticket's messages: its Create, Correspond and Comment (an internal note) transactions, each
// with the text/plain and text/html parts and the named files of its attachments. False, with a
// problem in `out`, when a file or a record of it cannot be read.
bool read_rt_history(std::string_view history, std::string_view history_file,
                     std::string_view attachments, std::string_view attachments_file,
                     ImportTicket& ticket, ImportData& out);

}  // namespace gongdan::import
