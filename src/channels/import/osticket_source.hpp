// osTicket (1.10 to 1.18) from a dump of its MySQL database (`mysqldump osticket > dump.sql`):
// its tables read without a database server (channels/import/sql_dump). Tickets with their
// subject and priority (`ticket__cdata`), status, department and help topic; threads with the
// customers' messages, the agents' responses and internal notes; users with their email
// addresses and organizations; staff; attachments kept in the database (`file_chunk`). Pure; no
// I/O. docs/import.md says what maps to what.
#pragma once

#include <string_view>

#include "domain/import_record.hpp"

namespace gongdan::import {

// Everything of one dump. The tables' prefix is found from the dump (`ost_` by default).
ImportData read_osticket_dump(std::string_view bytes, std::string_view file);

}  // namespace gongdan::import
