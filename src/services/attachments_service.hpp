// Attachments: uploaded before or with a message, stored content-addressed and durable before
// their row commits, linked to one message, and read back only by someone who may see that
// message (the ticket's visibility rules, and no internal notes for customers).
#pragma once

#include "domain/attachment.hpp"
#include "services/attachment_files.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"
#include "services/tickets_service.hpp"

namespace gongdan::services {

struct Download {
  Attachment row;
  std::string bytes;
};

class AttachmentsService final : public AttachmentLinker {
 public:
  AttachmentsService(store::Database& db, const Clock& clock, AttachmentFiles& files,
                     TicketsService& tickets, std::size_t max_bytes)
      : db_(db), clock_(clock), files_(files), tickets_(tickets), max_bytes_(max_bytes) {}

  Result<Attachment> upload(const Principal& who, std::string_view filename,
                            std::string_view claimed_type, std::string_view bytes);
  Result<Download> download(const Principal& who, std::int64_t id);
  Result<std::map<std::int64_t, std::vector<Attachment>>> of_messages(
      const std::vector<std::int64_t>& message_ids);
  Result<void> link(store::Connection& c, const Principal& who,
                    const std::vector<std::int64_t>& attachment_ids,
                    std::int64_t message_id) override;
  std::size_t max_bytes() const { return max_bytes_; }

 private:
  store::Database& db_;
  const Clock& clock_;
  AttachmentFiles& files_;
  TicketsService& tickets_;
  std::size_t max_bytes_;
};

}  // namespace gongdan::services
