#include "api/upload.hpp"

namespace gongdan::api {

std::vector<UploadedFile> file_parts(const std::vector<FormPart>& parts) {
  std::vector<UploadedFile> out;
  for (const auto& part : parts) {
    if (!part.filename) continue;
    if (part.data.empty() && part.filename->empty()) continue;  // a file input left empty
    out.push_back({*part.filename, part.content_type, part.data});
  }
  return out;
}

Result<std::vector<UploadedFile>> uploaded_files(const Request& request) {
  const auto content_type = request.header("content-type").value_or("application/octet-stream");
  if (content_type.starts_with("multipart/form-data")) {
    GONGDAN_ASSIGN(auto parts, parse_multipart(content_type, request.body));
    auto files = file_parts(parts);
    if (files.empty()) return fail(ErrorCode::kInvalidArgument, "no file in the form", "file");
    return files;
  }
  const auto filename = request.query_value("filename");
  if (!filename || filename->empty())
    return fail(ErrorCode::kInvalidArgument, "is required", "filename");
  return std::vector<UploadedFile>{
      {std::string(*filename), std::string(content_type), std::string_view(request.body)}};
}

}  // namespace gongdan::api
