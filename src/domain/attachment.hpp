// A file uploaded to the desk: who uploaded which blob under which name, and the message it
// belongs to once sent. The bytes themselves live in the blob store, named by their hash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "util/clock.hpp"

namespace gongdan {

// Where a message's HTML shows an attachment of its own (an image pasted into the desk's
// editor): the API keeps `<img src="/api/v1/attachments/<id>">`, and mail turns it into a cid:
// reference to an inline part (services/outbox_service).
inline constexpr const char* kAttachmentPath = "/api/v1/attachments/";

struct Attachment {
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

}  // namespace gongdan
