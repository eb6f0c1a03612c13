// Persistence of attachment rows: who uploaded which blob under which name, and the message it
// belongs to once sent.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace gongdan::store {

struct AttachmentRow {
  std::int64_t id = 0;
  std::string sha256;
  std::int64_t size = 0;
  std::string content_type;  // detected from the bytes
  std::string claimed_type;  // what the client said
  std::string filename;      // sanitised
  std::optional<std::int64_t> uploader_id;
  std::optional<std::int64_t> message_id;
  Millis created_at = 0;
};

Result<std::int64_t> insert_attachment(Connection& c, const AttachmentRow& a);
Result<std::optional<AttachmentRow>> find_attachment(Connection& c, std::int64_t id);
Result<bool> attach_to_message(Connection& c, std::int64_t id, std::int64_t message_id);
Result<std::map<std::int64_t, std::vector<AttachmentRow>>> attachments_of_messages(
    Connection& c, const std::vector<std::int64_t>& message_ids);

}  // namespace gongdan::store
