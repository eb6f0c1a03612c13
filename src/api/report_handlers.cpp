// GET /api/v1/reports and /api/v1/reports/{metric}: the metrics of docs/metrics.md from the
// rollups, as JSON, CSV or XLSX (?format= or Accept).
#include "api/answer_shape.hpp"
#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "services/report_export.hpp"
#include "services/reports_service.hpp"

namespace gongdan::api {
using services::kXlsxType;

namespace {

using namespace shape;
using services::Report;
using services::ReportRow;

const AnswerShape<ReportRow> kRowShape{
    text("key", &ReportRow::key)
        .describe("The period (in the zone asked for) or the dimension's value; empty for the "
                  "total."),
    text("label", &ReportRow::label)
        .describe("A name for the key: the department's or agent's name."),
    member("value", &ReportRow::value, schema::number())
        .describe("A count, milliseconds (the times), or a share from 0 to 1."),
    integer("count", &ReportRow::count)
        .describe("What the value is over: the count, how many were timed, or a share's whole."),
    integer("part", &ReportRow::part)
        .describe("Shares: how many of `count` the share counts (targets met, satisfied ratings, "
                  "surveys answered); 0 for counts and times.")};

Response csv_response(const services::Report& report) {
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.set_header("Content-Disposition", "attachment; filename=\"" + report.metric + ".csv\"");
  r.body = services::report_csv(report);
  return r;
}

// The same rows and total line as the CSV, as a workbook: names stay text, numbers numbers.
Response xlsx_response(const services::Report& report) {
  auto bytes = services::report_xlsx(report);
  if (!bytes) return error_response(bytes.error());
  Response r;
  r.content_type = std::string(kXlsxType);
  r.set_header("Content-Disposition", "attachment; filename=\"" + report.metric + ".xlsx\"");
  r.body = std::move(*bytes);
  return r;
}

// "csv", "xlsx" or "json", by ?format=, else by Accept when it asks for one type and not JSON.
std::string_view wanted_format(const Request& request, std::string_view format) {
  if (!format.empty()) return format;
  const auto accept = request.header("accept").value_or("");
  if (accept.find("application/json") != std::string_view::npos) return "json";
  if (accept.find("text/csv") != std::string_view::npos) return "csv";
  if (accept.find(kXlsxType) != std::string_view::npos) return "xlsx";
  return "json";
}

json::array metric_names() {
  json::array names;
  for (const auto& m : services::report_metrics()) names.emplace_back(m);
  return names;
}

const AnswerShape<Report> kReportShape{
    text("metric", &Report::metric),
    member("unit", &Report::unit, schema::enum_of({"count", "milliseconds", "average", "ratio"})),
    text("from", &Report::from).describe("The first UTC hour read (empty for the backlog)."),
    text("to", &Report::to).describe("The end of the range, exclusive."),
    text("time_zone", &Report::time_zone),
    boolean("whole_hour_zone", &Report::whole_hour_zone)
        .describe("False in zones with a half-hour offset: days start at the first whole UTC "
                  "hour after local midnight."),
    text("group_by", &Report::group_by),
    member("scope", &Report::scope, schema::enum_of({"all", "departments", "own"}))
        .describe("What the caller's numbers cover: everything (admins), their departments "
                  "(supervisors), their own (agents)."),
    nested("total", &Report::total, kRowShape),
    list_of("rows", &Report::rows, kRowShape)};

// A report's parameters from the query string.
services::ReportRequest report_request(const Request& request) {
  services::ReportRequest in;
  in.metric = std::string(request.param("metric"));
  in.from = std::string(request.query_value("from").value_or(""));
  in.to = std::string(request.query_value("to").value_or(""));
  in.group_by = std::string(request.query_value("group_by").value_or(""));
  in.tz = std::string(request.query_value("tz").value_or(""));
  in.tag = std::string(request.query_value("tag").value_or(""));
  in.organization = std::string(request.query_value("organization").value_or(""));
  in.field = std::string(request.query_value("field").value_or(""));
  return in;
}

Response answer_report(ApiContext& ctx, Request& request) {
  if (!ctx.reports) return error_response({ErrorCode::kUnavailable, "reports are not running"});
  const auto in = report_request(request);
  const auto format = request.query_value("format").value_or("");
  if (!format.empty() && format != "json" && format != "csv" && format != "xlsx")
    return error_response({ErrorCode::kInvalidArgument, "expected json, csv or xlsx", "format"});
  auto report = ctx.reports->run(request.who(), in);
  if (!report) return error_response(report.error());
  const auto wanted = wanted_format(request, format);
  if (wanted == "csv") return csv_response(*report);
  if (wanted == "xlsx") return xlsx_response(*report);
  return json_response(200, kReportShape.write(*report));
}

}  // namespace

void add_report_routes(Router& router, ApiContext& ctx) {
  using namespace schema;
  router.add("GET", "/api/v1/reports", Access::kSignedIn, "reports", "The report metrics",
             doc("listReportMetrics")
                 .describe("The metrics `/api/v1/reports/{metric}` answers, defined in "
                           "docs/metrics.md.")
                 .returns(200, object({{"metrics", array_of(string())}}).require_all()),
             [](Request&) {
               return json_response(200, json::object{{"metrics", metric_names()}});
             });
  router.add(
      "GET", "/api/v1/reports/{metric}", Access::kSignedIn, "reports", "One report metric",
      doc("getReport")
          .describe("Read from hourly rollups kept as tickets change. Agents get their own "
                    "numbers, supervisors their departments', admins everyone's. `from` and "
                    "`to` are dates in `tz` (default: the caller's zone), both included; "
                    "without them, the last 30 days. CSV with `format=csv` or "
                    "`Accept: text/csv`, XLSX with `format=xlsx` or its `Accept` type.")
          .path("metric", string().with("enum", metric_names()), "The metric (docs/metrics.md).")
          .query("from", string(), "First day, YYYY-MM-DD.")
          .query("to", string(), "Last day, YYYY-MM-DD.")
          .query("group_by",
                 string().pattern("^(hour|day|week|month|department|agent|priority|"
                                  "type|channel|age|tag|organization|field:[a-z][a-z0-9_]*)$"),
                 "Rows per period or per value; `age` for the backlog (its default); `tag`, "
                 "`organization` or `field:<key>` (a dropdown or multi-select custom field).")
          .query("tag", string(), "Only tickets with this tag.")
          .query("organization", string(), "Only tickets of this organization (its id).")
          .query(
              "field", string(),
              "Only tickets whose dropdown or multi-select field holds a value: `<key>:<value>`. "
              "One of tag, organization and field at a time.")
          .query("tz", string(), "An IANA time zone, e.g. Asia/Shanghai.")
          .query("format", enum_of({"json", "csv", "xlsx"}), "The answer's format.")
          .returns(200, kReportShape.schema())
          .returns(200, string(), "The rows and a total line.", "text/csv")
          .returns(200, binary(), "The same as a one-sheet workbook.", std::string(kXlsxType)),
      [&ctx](Request& request) { return answer_report(ctx, request); });
}

}  // namespace gongdan::api
