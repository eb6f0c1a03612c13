// What gongdan holds about one contact, read for their data export (GDPR article 15/20), and the
// writes that erase it (article 17). Rows come back as plain records of named cells, one list
// per section, because the export shows them as they are stored and nothing else reads them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "store/database.hpp"

namespace gongdan::store {

using Cell = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
using Record = std::vector<std::pair<std::string, Cell>>;

// Sections: contact, identities, provider_identities, sign_in_identities, organization,
// tickets (requested or followed), messages (written, or public on their tickets),
// attachments (of those messages, with sha256), csat, chats, calls, audit (about or by them).
// Empty when there is no contact (customer) of that id.
Result<std::map<std::string, std::vector<Record>>> contact_records(Connection& c,
                                                                   std::int64_t user_id);

}  // namespace gongdan::store
