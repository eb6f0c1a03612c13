// The files an upload request carries, for every route that takes files (attachments ahead of a
// message, a chat's files, a knowledge-base article's): each file part of a multipart/form-data
// body, or one raw body of any type named by ?filename=.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/multipart.hpp"
#include "api/request.hpp"
#include "util/result.hpp"

namespace gongdan::api {

struct UploadedFile {
  std::string filename;      // as sent: shown only through sanitize_filename()
  std::string content_type;  // as sent; the services detect the type from the bytes
  std::string_view data;     // a view into the request's body
};

// The file parts of a form: those with a filename, except a file input left empty.
std::vector<UploadedFile> file_parts(const std::vector<FormPart>& parts);
// The request's files: a multipart/form-data body's file parts (400 "no file in the form" when
// it has none), or else the whole body as one file named by ?filename= (400 without one), of
// the request's Content-Type.
Result<std::vector<UploadedFile>> uploaded_files(const Request& request);

}  // namespace gongdan::api
