// An article's files: images its Markdown shows inline and documents it links to, uploaded in
// the editor (multipart/form-data, or one raw body named by ?filename=), listed and removed by
// the article's writers. Readers get them at /help-files/{id} (help_pages.cpp).
#include "api/answer_shape.hpp"
#include "api/context.hpp"
#include "api/json.hpp"
#include "api/kb_json.hpp"
#include "api/router.hpp"
#include "api/upload.hpp"
#include "util/iso_time.hpp"

namespace gongdan::api {
namespace {

// What to put in an article's body to show or link the file.
std::string file_markdown(const KbFile& f) {
  // Markdown's brackets and parentheses would end the text or the address early.
  std::string label;
  for (char ch : f.filename) label += (ch == '[' || ch == ']') ? '_' : ch;
  return (kb_file_is_image(f.content_type) ? "![" : "[") + label + "](" + kb_file_path(f.id) + ")";
}

using namespace shape;

const AnswerShape<KbFile> kFileShape{
    integer("id", &KbFile::id),
    integer("article_id", &KbFile::article_id),
    text("filename", &KbFile::filename),
    text("content_type", &KbFile::content_type).describe("Detected from the bytes."),
    integer("size", &KbFile::size),
    computed<KbFile>(
        "image", [](const KbFile& f) { return kb_file_is_image(f.content_type); },
        schema::boolean().describe("PNG, JPEG, GIF or WebP: shown inline.")),
    computed<KbFile>(
        "url", [](const KbFile& f) { return kb_file_path(f.id); },
        schema::string().describe("/help-files/{id}: where readers get it.")),
    computed<KbFile>("markdown", file_markdown,
                     schema::string().describe("What to put in the body: ![name](url) for an "
                                               "image, [name](url) for a document.")),
    instant("created_at", &KbFile::created_at)};

Result<std::vector<KbFile>> upload(services::KbService& kb, Request& r) {
  GONGDAN_ASSIGN(auto id, article_id(r));
  GONGDAN_ASSIGN(auto files, uploaded_files(r));
  std::vector<KbFile> out;
  for (const auto& file : files) {
    GONGDAN_ASSIGN(auto f, kb.add_file(r.who(), id, file.filename, file.data));
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

void add_kb_file_routes(Router& router, ApiContext& ctx) {
  if (!ctx.kb) return;
  auto& kb = *ctx.kb;
  using namespace schema;
  router.define_schema("KbFile", kFileShape.schema());
  router.add(
      "POST", "/api/v1/kb/articles/{id}/files", Access::kSignedIn, "knowledge base",
      "Upload images and documents with an article (multipart/form-data, or a raw body with "
      "?filename=)",
      doc("uploadKbFiles")
          .describe("Every file part of a `multipart/form-data` body, or one raw body named by "
                    "`?filename=`. Stored once per content (SHA-256) like ticket attachments; "
                    "the type is detected from the bytes. A file over 5 MiB, or an image over "
                    "8000 pixels a side, is 413 naming the limit; an image whose header cannot "
                    "be read is 400. Put each answer's `markdown` in the body to show it. "
                    "Light agents and customers may not upload.")
          .path("id", integer())
          .body(object({{"file", binary()}}).open(), "multipart/form-data")
          .body(binary(), "application/octet-stream")
          .query("filename", string(), "The file's name, for a raw body (required then).")
          .returns(201, items_of(ref("KbFile")))
          .errors({413}),
      [&kb](Request& r) {
        return answer([&]() -> Result<Response> {
          GONGDAN_ASSIGN(auto files, upload(kb, r));
          return json_response(201, items_answer(files, kFileShape));
        }());
      });
  router.add("GET", "/api/v1/kb/articles/{id}/files", Access::kSignedIn, "knowledge base",
             "An article's files (agents)",
             doc("listKbFiles").path("id", integer()).returns(200, items_of(ref("KbFile"))),
             [&kb](Request& r) {
               return answer([&]() -> Result<Response> {
                 GONGDAN_ASSIGN(auto id, article_id(r));
                 GONGDAN_ASSIGN(auto files, kb.files(r.who(), id));
                 return json_response(200, items_answer(files, kFileShape));
               }());
             });
  router.add("DELETE", "/api/v1/kb/articles/{id}/files/{file}", Access::kSignedIn, "knowledge base",
             "Remove a file from an article",
             doc("deleteKbFile")
                 .describe("Its address then answers 404; a body that still shows it shows "
                           "nothing there.")
                 .path("id", integer())
                 .path("file", integer())
                 .returns_nothing(204),
             [&kb](Request& r) {
               return answer([&]() -> Result<Response> {
                 GONGDAN_ASSIGN(auto id, article_id(r));
                 GONGDAN_ASSIGN(auto file, path_id(r, "file", "file"));
                 GONGDAN_TRY(kb.remove_file(r.who(), id, file));
                 return no_content();
               }());
             });
}

}  // namespace gongdan::api
