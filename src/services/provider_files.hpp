// The HTTP requests that send a file of an agent's reply back through an inbound source, as
// each provider documents it. Pure: the source comes with its secrets opened; the caller (jobs/
// im_reply_file_job) sends them with channels/webhooks.
//
//   telegram: one multipart call, sendPhoto (a JPEG or PNG up to 10 MB) or sendDocument (up to
//             50 MB), with the chat_id.
//   wecom:    cgi-bin/media/upload (multipart "media"; type image for a JPEG or PNG up to 2 MB,
//             else file, up to 20 MB), then kf/send_msg with the media_id.
//   feishu:   im/v1/images (image_type=message, up to 10 MB) or im/v1/files (file_type, file_name,
//             up to 30 MB), then im/v1/messages with the image_key or file_key.
//   dingtalk: media/upload on oapi.dingtalk.com (multipart "media", type file, up to 20 MB), then
//             v1.0/robot/oToMessages/batchSend with msgKey sampleFile.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/inbound_source.hpp"
#include "services/provider_requests.hpp"

namespace gongdan::services {

// A file to send: what the attachment row and its blob say.
struct ReplyFile {
  std::string filename;
  std::string content_type;  // as detected from the bytes
  std::string bytes;
};

// The first call for a file: the upload (or, for Telegram, the send itself), or why it cannot go
// (`error`: too large for the provider, a kind that takes no files, a source without what its API
// needs). `as_image`: sent as a picture rather than as a document.
struct FileUpload {
  std::optional<ImDelivery> call;
  bool as_image = false;
  bool sends = false;  // Telegram: the upload is the message
  std::string error;
};
FileUpload file_upload(const InboundSource& source, std::string_view app_secret,
                       std::string_view external_id, const ReplyFile& file);

// The message that shows an uploaded file (`key`: the provider's media_id, image_key or
// file_key) to `external_id`; `id` makes the provider's dedupe key where it has one.
std::optional<ImDelivery> file_message(const InboundSource& source, std::string_view app_secret,
                                       std::string_view external_id, std::string_view key,
                                       const ReplyFile& file, bool as_image, std::string_view id);

// A multipart/form-data body: `fields` as plain parts, then the file as `file_field`.
struct Multipart {
  std::string content_type;
  std::string body;
};
Multipart multipart_form(const std::vector<std::pair<std::string, std::string>>& fields,
                         std::string_view file_field, std::string_view filename,
                         std::string_view content_type, std::string_view bytes);

}  // namespace gongdan::services
