#include "services/attachments_service.hpp"

#include "domain/attachment_name.hpp"
#include "store/attachments_store.hpp"
#include "store/messages_store.hpp"
#include "store/tickets_store.hpp"

namespace gongdan::services {

Result<Attachment> AttachmentsService::upload(const Principal& who, std::string_view filename,
                                              std::string_view claimed_type,
                                              std::string_view bytes) {
  if (bytes.size() > max_bytes_)
    return fail(ErrorCode::kPayloadTooLarge,
                "the file is larger than " + std::to_string(max_bytes_ / (1024 * 1024)) + " MB",
                "file");
  if (bytes.empty()) return fail(ErrorCode::kInvalidArgument, "the file is empty", "file");
  if (who.via == CredentialKind::kToken && !who.can_write)
    return fail(ErrorCode::kPermissionDenied, "this token lacks the write scope");
  GONGDAN_ASSIGN(auto blob, files_.put(bytes));  // durable before the row that names it
  Attachment row;
  row.sha256 = blob.sha256;
  row.size = static_cast<std::int64_t>(blob.size);
  row.content_type = blob.detected_type;
  row.claimed_type = normalize_media_type(claimed_type);
  row.filename = sanitize_filename(filename);
  row.uploader_id = who.user.id ? std::optional(who.user.id) : std::nullopt;
  row.created_at = clock_.now_ms();
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(row.id, store::insert_attachment(c, row));
    return {};
  }));
  return row;
}

Result<void> AttachmentsService::link(store::Connection& c, const Principal& who,
                                      const std::vector<std::int64_t>& ids,
                                      std::int64_t message_id) {
  for (auto id : ids) {
    GONGDAN_ASSIGN(auto row, store::find_attachment(c, id));
    if (!row || (row->uploader_id != (who.user.id ? std::optional(who.user.id) : std::nullopt)))
      return fail(ErrorCode::kInvalidArgument, "no such upload: " + std::to_string(id),
                  "attachments");
    GONGDAN_ASSIGN(bool linked, store::attach_to_message(c, id, message_id));
    if (!linked)
      return fail(ErrorCode::kInvalidArgument,
                  "upload " + std::to_string(id) + " is already attached to a message",
                  "attachments");
  }
  return {};
}

Result<Download> AttachmentsService::download(const Principal& who, std::int64_t id) {
  std::optional<Attachment> row;
  std::optional<Message> message;
  std::optional<Ticket> ticket;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(row, store::find_attachment(c, id));
    if (row && row->message_id) {
      GONGDAN_ASSIGN(message, store::find_message(c, *row->message_id));
      if (message) {
        GONGDAN_ASSIGN(ticket, store::find_ticket(c, message->ticket_id));
      }
    }
    return {};
  }));
  if (!row) return fail(ErrorCode::kNotFound, "no such attachment");
  if (!row->message_id) {
    // Not sent yet: only its uploader may read it back.
    if (!row->uploader_id || *row->uploader_id != who.user.id)
      return fail(ErrorCode::kNotFound, "no such attachment");
  } else {
    if (!message || !ticket) return fail(ErrorCode::kNotFound, "no such attachment");
    // The same check as reading the ticket, then the note rule.
    auto visible = tickets_.get(who, ticket->number);
    if (!visible) return fail(ErrorCode::kNotFound, "no such attachment");
    if (message->internal && !who.is_agent())
      return fail(ErrorCode::kNotFound, "no such attachment");
  }
  GONGDAN_ASSIGN(auto bytes, files_.read(row->sha256));
  return Download{std::move(*row), std::move(bytes)};
}

Result<std::map<std::int64_t, std::vector<Attachment>>> AttachmentsService::of_messages(
    const std::vector<std::int64_t>& message_ids) {
  std::map<std::int64_t, std::vector<Attachment>> out;
  if (message_ids.empty()) return out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(out, store::attachments_of_messages(c, message_ids));
    return {};
  }));
  return out;
}

}  // namespace gongdan::services
