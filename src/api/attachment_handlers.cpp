// /api/v1/attachments: upload ahead of a message (raw body or multipart/form-data) and
// download with the ticket's permission checks and headers that keep browsers from running it.

#include "api/download.hpp"
#include "api/multipart.hpp"
#include "api/router.hpp"
#include "api/ticket_handlers_common.hpp"
#include "api/upload.hpp"

namespace gongdan::api {

namespace {

Result<std::vector<Attachment>> upload_files(ApiContext& ctx, const Request& request,
                                             const std::vector<UploadedFile>& files) {
  std::vector<Attachment> out;
  for (const auto& file : files) {
    GONGDAN_ASSIGN(auto row, ctx.attachments.upload(request.who(), file.filename, file.content_type,
                                                    file.data));
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

Result<std::optional<std::string>> multipart_json(ApiContext& ctx, Request& request,
                                                  std::vector<std::int64_t>& uploaded) {
  auto content_type = request.header("content-type");
  if (!content_type || !content_type->starts_with("multipart/form-data"))
    return std::optional<std::string>{};
  GONGDAN_ASSIGN(auto parts, parse_multipart(*content_type, request.body));
  std::optional<std::string> json_text;
  for (const auto& part : parts)
    if (part.name == "json" && !part.filename) json_text = std::string(part.data);
  if (!json_text)
    return fail(ErrorCode::kInvalidArgument, "a multipart request needs a 'json' part", "json");
  GONGDAN_ASSIGN(auto rows, upload_files(ctx, request, file_parts(parts)));
  for (const auto& row : rows) uploaded.push_back(row.id);
  return json_text;
}

namespace {

Response upload(ApiContext& ctx, Request& request) {
  auto files = uploaded_files(request);
  if (!files) return error_response(files.error());
  auto rows = upload_files(ctx, request, *files);
  if (!rows) return error_response(rows.error());
  return json_response(201, items_answer(*rows, kAttachmentShape));
}

Response download(ApiContext& ctx, Request& request) {
  auto id = path_id(request, "id", "attachment");
  if (!id) return error_response(id.error());
  auto file = ctx.attachments.download(request.who(), *id);
  if (!file) return error_response(file.error());
  return download_response(std::move(file->bytes), file->row.filename, file->row.content_type,
                           file->row.claimed_type);
}

RouteDoc upload_doc() {
  using namespace schema;
  return doc("uploadAttachments")
      .describe(
          "Every file part of a `multipart/form-data` body, or one raw body of any type "
          "named by `?filename=`. Files are stored once per content (SHA-256); the type "
          "is detected from the bytes. Send the ids in a message's or ticket's "
          "`attachments`. Over `attachment_limit` (25 MB by default) is 413.")
      .body(object({{"file", binary()}}).open(), "multipart/form-data")
      .body(binary(), "application/octet-stream")
      .query("filename", string(), "The file's name, for a raw body (required then).")
      .returns(201, items_of(ref("Attachment")));
}

}  // namespace

void add_attachment_routes(Router& router, ApiContext& ctx) {
  router.add("POST", "/api/v1/attachments", Access::kSignedIn, "attachments",
             "Upload files ahead of a message (multipart/form-data, or a raw body with "
             "?filename=)",
             upload_doc(), [&ctx](Request& r) { return upload(ctx, r); });
  router.add("GET", "/api/v1/attachments/{id}", Access::kSignedIn, "attachments",
             "Download an attachment",
             doc("downloadAttachment")
                 .describe("With the ticket's permission checks (internal notes too). Anything a "
                           "browser could run (HTML, SVG, XML, or bytes that disagree with their "
                           "label) comes as `Content-Disposition: attachment` with "
                           "`Content-Security-Policy: sandbox`.")
                 .returns(200, schema::binary(), "The file, with its own type.", "*/*")
                 .with_headers({"Content-Disposition"}),
             [&ctx](Request& r) { return download(ctx, r); });
}

}  // namespace gongdan::api
