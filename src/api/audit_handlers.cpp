// The audit log for admins: the list with filters, the export (CSV or JSON, every matching
// entry) and a check of its hash chain.
#include <charconv>

#include "api/answer_shape.hpp"
#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "api/ticket_json.hpp"

namespace gongdan::api {
namespace {

// An export holds at most this many entries: a bigger one is narrowed by the time filters.
constexpr int kMaxExport = 100000;

Result<AuditFilter> filter_of(const Request& request) {
  AuditFilter f;
  if (auto action = request.query_value("action")) {
    if (action->size() > 100)
      return fail(ErrorCode::kInvalidArgument, "action is too long", "action");
    f.action = std::string(*action);
  }
  if (auto actor = request.query_value("actor"); actor && !actor->empty()) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(actor->data(), actor->data() + actor->size(), id);
    if (ec != std::errc() || end != actor->data() + actor->size() || id <= 0)
      return fail(ErrorCode::kInvalidArgument, "actor must be a user id", "actor");
    f.actor_id = id;
  }
  if (auto target = request.query_value("target")) {
    if (target->size() > 200)
      return fail(ErrorCode::kInvalidArgument, "target is too long", "target");
    f.target = std::string(*target);
  }
  if (auto from = request.query_value("from"); from && !from->empty()) {
    GONGDAN_ASSIGN(f.from, parse_iso_time(*from, "from"));
  }
  if (auto until = request.query_value("until"); until && !until->empty()) {
    GONGDAN_ASSIGN(f.until, parse_iso_time(*until, "until"));
  }
  if (f.from && f.until && *f.until <= *f.from)
    return fail(ErrorCode::kInvalidArgument, "until must be after from", "until");
  return f;
}

using namespace shape;

const AnswerShape<AuditEntry> kEntryShape{
    integer("id", &AuditEntry::id),
    instant("at", &AuditEntry::at),
    integer("actor_id", &AuditEntry::actor_id),
    text("action", &AuditEntry::action).describe("`auth.login`, `user.create`, …"),
    text("target", &AuditEntry::target),
    text("ip", &AuditEntry::ip).describe("Empty for the command line and start-up."),
    stored_json("detail", &AuditEntry::detail, schema::map_of(schema::any())),
    text("hash", &AuditEntry::hash)
        .describe("The row's link in the hash chain; empty on rows from before the chain "
                  "began.")};

// RFC 4180 quoting; a cell a spreadsheet would run as a formula gets a leading apostrophe
// (targets and details hold text people typed).
void append_csv_cell(std::string& out, std::string_view cell) {
  const bool formula = !cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' ||
                                         cell[0] == '@' || cell[0] == '\t' || cell[0] == '\r');
  out += '"';
  if (formula) out += '\'';
  for (char ch : cell) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
}

std::string csv_of(const std::vector<AuditEntry>& entries) {
  std::string out = "id,at,actor_id,action,target,ip,detail,hash\r\n";
  for (const auto& e : entries) {
    out += std::to_string(e.id) + ",";
    append_csv_cell(out, iso_time(e.at));
    out += ',';
    out += e.actor_id ? std::to_string(*e.actor_id) : std::string();
    for (std::string_view cell :
         {std::string_view(e.action), std::string_view(e.target), std::string_view(e.ip),
          std::string_view(e.detail), std::string_view(e.hash)}) {
      out += ',';
      append_csv_cell(out, cell);
    }
    out += "\r\n";
  }
  return out;
}

Result<Response> list(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto page, page_request(request));
  GONGDAN_ASSIGN(auto filter, filter_of(request));
  GONGDAN_ASSIGN(auto entries, ctx.audit.list(request.who(), page.after, page.limit + 1, filter));
  return json_response(200, page_answer(entries, page.limit, kEntryShape));
}

enum class ExportFormat { kJson, kCsv };

Result<Response> export_log(ApiContext& ctx, Request& request, ExportFormat format) {
  GONGDAN_ASSIGN(auto filter, filter_of(request));
  GONGDAN_ASSIGN(auto entries, ctx.audit.list(request.who(), 0, kMaxExport + 1, filter));
  if (entries.size() > static_cast<std::size_t>(kMaxExport))
    return fail(ErrorCode::kInvalidArgument,
                "more than 100000 entries match; narrow the export with from and until", "until");
  Response r;
  if (format == ExportFormat::kCsv) {
    r.body = csv_of(entries);
    r.content_type = "text/csv; charset=utf-8";
    r.set_header("Content-Disposition", "attachment; filename=\"gongdan-audit.csv\"");
  } else {
    r = json_response(200, items_answer(entries, kEntryShape));
    r.set_header("Content-Disposition", "attachment; filename=\"gongdan-audit.json\"");
  }
  r.set_header("Cache-Control", "no-store");
  return r;
}

Result<Response> verify(ApiContext& ctx, Request& request) {
  GONGDAN_ASSIGN(auto check, ctx.audit.verify(request.who()));
  json::array problems;
  for (const auto& p : check.problems) problems.emplace_back(p);
  return json_response(200, json::object{{"intact", check.problems.empty()},
                                         {"chained_rows", check.chained_rows},
                                         {"older_rows", check.older_rows},
                                         {"last_id", check.last_id},
                                         {"head_hash", check.head_hash},
                                         {"first_bad_row", or_null(check.first_bad)},
                                         {"problems", std::move(problems)}});
}

using namespace schema;

RouteDoc& with_filters(RouteDoc& d) {
  return d
      .query("action", string().max_length(100),
             "An action (`user.create`), or a prefix ending in a dot (`auth.`).")
      .query("actor", integer(), "The id of the user who acted.")
      .query("target", string().max_length(200), "The exact target (`user:7`).")
      .query("from", string(), "Entries at or after this time (`2026-01-31` or ISO 8601, UTC).")
      .query("until", string(), "Entries before this time.");
}

}  // namespace

void add_audit_routes(Router& router, ApiContext& ctx) {
  router.define_schema("AuditEntry", kEntryShape.schema());
  auto list_doc = doc("listAuditLog");
  with_filters(list_doc).paged().returns(200, page_of(ref("AuditEntry")));
  router.add("GET", "/api/v1/audit", Access::kSignedIn, "audit",
             "The audit log, newest first (admins)", std::move(list_doc),
             [&ctx](Request& r) { return answer(list(ctx, r)); });
  constexpr std::string_view kExportText =
      "Every matching entry, newest first, as a download. At most 100000 entries (400 beyond: "
      "narrow by time).";
  auto json_doc = doc("exportAuditLogJson");
  with_filters(json_doc)
      .describe(std::string(kExportText))
      .returns(200, items_of(ref("AuditEntry")))
      .with_headers({"Content-Disposition"});
  router.add("GET", "/api/v1/audit/export.json", Access::kSignedIn, "audit",
             "Export the audit log as JSON (admins)", std::move(json_doc),
             [&ctx](Request& r) { return answer(export_log(ctx, r, ExportFormat::kJson)); });
  auto csv_doc = doc("exportAuditLogCsv");
  with_filters(csv_doc)
      .describe(std::string(kExportText) +
                " A header row, then one row an entry; a cell a spreadsheet would run as a "
                "formula starts with an apostrophe.")
      .returns(200, string(), "The CSV.", "text/csv")
      .with_headers({"Content-Disposition"});
  router.add("GET", "/api/v1/audit/export.csv", Access::kSignedIn, "audit",
             "Export the audit log as CSV (admins)", std::move(csv_doc),
             [&ctx](Request& r) { return answer(export_log(ctx, r, ExportFormat::kCsv)); });
  router.add(
      "GET", "/api/v1/audit/verify", Access::kSignedIn, "audit",
      "Check the audit log's hash chain (admins)",
      doc("verifyAuditLog")
          .describe("The same check as `gongdan audit verify`: `intact` false names each row "
                    "that was changed or removed in `problems`.")
          .returns(200, object({{"intact", boolean()},
                                {"chained_rows", integer()},
                                {"older_rows", integer()},
                                {"last_id", integer()},
                                {"head_hash", string()},
                                {"first_bad_row", nullable(integer())},
                                {"problems", array_of(string())}})
                            .require_all()),
      [&ctx](Request& r) { return answer(verify(ctx, r)); });
}

}  // namespace gongdan::api
