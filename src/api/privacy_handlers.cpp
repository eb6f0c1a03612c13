// A contact's data protection routes: the export archive and the erasure (admins only; the
// privacy service decides, docs/privacy.md says what each covers).

#include "api/context.hpp"
#include "api/download.hpp"
#include "api/json.hpp"
#include "api/router.hpp"

namespace gongdan::api {
namespace {

Response export_contact(ApiContext& ctx, Request& request) {
  auto id = path_id(request, "id", "contact");
  if (!id) return error_response(id.error());
  auto archive = ctx.privacy->export_contact(request.who(), *id);
  if (!archive) return error_response(archive.error());
  Response r;
  r.content_type = "application/x-tar";
  r.body = std::move(archive->bytes);
  r.set_header("Content-Disposition", content_disposition("attachment", archive->filename));
  r.set_header("Cache-Control", "no-store");
  r.set_header("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace

void add_privacy_routes(Router& router, ApiContext& ctx) {
  if (!ctx.privacy) return;
  using namespace schema;
  router.add("GET", "/api/v1/contacts/{id}/export", Access::kSignedIn, "contacts",
             "Export everything about a contact (admins)",
             doc("exportContact")
                 .describe("One tar archive: `contact.json` (the contact, their identities and "
                           "organization, the tickets they requested or follow, the messages "
                           "they wrote or received, CSAT answers, chats, calls and the audit "
                           "entries about them) and `attachments/<id>`, each file it lists. "
                           "Audited as `contact.export`.")
                 .returns(200, binary(), "The archive.", "application/x-tar")
                 .with_headers({"Content-Disposition"}),
             [&ctx](Request& r) { return export_contact(ctx, r); });
}

}  // namespace gongdan::api
