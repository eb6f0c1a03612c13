// Persistence of attachment rows: who uploaded which blob under which name, and the message it
// belongs to once sent.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "domain/attachment.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

Result<std::int64_t> insert_attachment(Connection& c, const Attachment& a);
Result<std::optional<Attachment>> find_attachment(Connection& c, std::int64_t id);
Result<bool> attach_to_message(Connection& c, std::int64_t id, std::int64_t message_id);
Result<std::map<std::int64_t, std::vector<Attachment>>> attachments_of_messages(
    Connection& c, const std::vector<std::int64_t>& message_ids);

}  // namespace gongdan::store
