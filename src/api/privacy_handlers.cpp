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

Response erase_contact(ApiContext& ctx, Request& request) {
  auto id = path_id(request, "id", "contact");
  if (!id) return error_response(id.error());
  auto body = parse_object(request.body, {"confirm"});
  if (!body) return error_response(body.error());
  auto confirm = optional_bool(*body, "confirm");
  if (!confirm) return error_response(confirm.error());
  if (!confirm->value_or(false))
    return error_response(
        {ErrorCode::kInvalidArgument, "must be true: erasure cannot be undone", "confirm"});
  auto report = ctx.privacy->erase_contact(request.who(), *id);
  if (!report) return error_response(report.error());
  return json_response(200, json::object{{"contact_id", report->contact_id},
                                         {"tickets", report->tickets},
                                         {"messages", report->messages},
                                         {"attachments", report->attachments},
                                         {"files_removed", report->files_removed},
                                         {"already_erased", report->already_erased}});
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
  router.add(
      "POST", "/api/v1/contacts/{id}/erase", Access::kSignedIn, "contacts",
      "Erase a contact everywhere (admins)",
      doc("eraseContact")
          .describe("Their tickets stay; what names them goes, in one transaction: name, "
                    "addresses, phones and provider identities; the bodies of their messages "
                    "(replaced by a marker in their language) and their attachments (rows and "
                    "files); the mail kept for their tickets; their name and addresses inside "
                    "subjects, other messages and history; CSAT comments, chat IPs, call numbers; "
                    "the search index follows. `confirm` must be `true`. Erasing again is "
                    "harmless. Audited as `contact.erase` with counts only; docs/privacy.md says "
                    "what is kept.")
          .body(object({{"confirm", boolean()}}).require({"confirm"}))
          .returns(200, object({{"contact_id", integer()},
                                {"tickets", integer()},
                                {"messages", integer()},
                                {"attachments", integer()},
                                {"files_removed", integer()},
                                {"already_erased", boolean()}})
                            .require_all()),
      [&ctx](Request& r) { return erase_contact(ctx, r); });
}

}  // namespace gongdan::api
