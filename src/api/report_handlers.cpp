// GET /api/v1/reports and /api/v1/reports/{metric}: the metrics of docs/metrics.md from the
// rollups, as JSON or CSV (?format= or Accept).
#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "services/reports_service.hpp"

namespace gongdan::api {
namespace {

std::string csv_cell(const std::string& text) {
  // Quoted always; a leading = + - @ would be a formula to a spreadsheet, so it gets a quote.
  std::string out = "\"";
  if (!text.empty() && std::string_view("=+-@").find(text.front()) != std::string_view::npos)
    out += '\'';
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string number_text(double v) {
  if (v == static_cast<double>(static_cast<std::int64_t>(v)))
    return std::to_string(static_cast<std::int64_t>(v));
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", v);
  return buffer;
}

json::object row_json(const services::ReportRow& r) {
  return json::object{
      {"key", r.key}, {"label", r.label}, {"value", r.value}, {"count", r.count}, {"part", r.part}};
}

Response csv_response(const services::Report& report) {
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.set_header("Content-Disposition", "attachment; filename=\"" + report.metric + ".csv\"");
  std::string body = "key,label,value,count,part\r\n";
  auto line = [&](const services::ReportRow& row) {
    body += csv_cell(row.key) + "," + csv_cell(row.label) + "," + number_text(row.value) + "," +
            std::to_string(row.count) + "," + std::to_string(row.part) + "\r\n";
  };
  for (const auto& row : report.rows) line(row);
  auto total = report.total;
  total.key = total.label = "total";
  line(total);
  r.body = std::move(body);
  return r;
}

bool wants_csv(const Request& request, std::string_view format) {
  if (format == "csv") return true;
  if (!format.empty()) return false;
  const auto accept = request.header("accept").value_or("");
  return accept.find("text/csv") != std::string_view::npos &&
         accept.find("application/json") == std::string_view::npos;
}

json::array metric_names() {
  json::array names;
  for (const auto& m : services::report_metrics()) names.emplace_back(m);
  return names;
}

}  // namespace

void add_report_routes(Router& router, ApiContext& ctx) {
  using namespace schema;
  auto row = object({{"key", string().describe("The period (in the zone asked for) or the "
                                               "dimension's value; empty for the total.")},
                     {"label", string().describe("A name for the key: the department's or "
                                                 "agent's name.")},
                     {"value", number().describe("A count, milliseconds (the times), or a "
                                                 "share from 0 to 1.")},
                     {"count", integer().describe("What the value is over: the count, how "
                                                  "many were timed, or a share's whole.")},
                     {"part", integer().describe("Shares: how many of `count` the share counts "
                                                 "(targets met, satisfied ratings, surveys "
                                                 "answered); 0 for counts and times.")}})
                 .require_all();
  auto report_schema =
      object({{"metric", string()},
              {"unit", enum_of({"count", "milliseconds", "ratio"})},
              {"from", string().describe("The first UTC hour read (empty for the backlog).")},
              {"to", string().describe("The end of the range, exclusive.")},
              {"time_zone", string()},
              {"whole_hour_zone",
               boolean().describe("False in zones with a half-hour offset: days start at the "
                                  "first whole UTC hour after local midnight.")},
              {"group_by", string()},
              {"scope", enum_of({"all", "departments", "own"})
                            .describe("What the caller's numbers cover: everything (admins), "
                                      "their departments (supervisors), their own (agents).")},
              {"total", row},
              {"rows", array_of(row)}})
          .require_all();
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
                    "`Accept: text/csv`.")
          .path("metric", string().with("enum", metric_names()), "The metric (docs/metrics.md).")
          .query("from", string(), "First day, YYYY-MM-DD.")
          .query("to", string(), "Last day, YYYY-MM-DD.")
          .query("group_by",
                 enum_of({"hour", "day", "week", "month", "department", "agent", "priority", "type",
                          "channel", "age"}),
                 "Rows per period or per value; `age` for the backlog (its default).")
          .query("tz", string(), "An IANA time zone, e.g. Asia/Shanghai.")
          .query("format", enum_of({"json", "csv"}), "The answer's format.")
          .returns(200, report_schema)
          .returns(200, string(), "The rows and a total line.", "text/csv"),
      [&ctx](Request& request) {
        if (!ctx.reports)
          return error_response({ErrorCode::kUnavailable, "reports are not running"});
        services::ReportRequest in;
        in.metric = std::string(request.param("metric"));
        in.from = std::string(request.query_value("from").value_or(""));
        in.to = std::string(request.query_value("to").value_or(""));
        in.group_by = std::string(request.query_value("group_by").value_or(""));
        in.tz = std::string(request.query_value("tz").value_or(""));
        const auto format = request.query_value("format").value_or("");
        if (!format.empty() && format != "json" && format != "csv")
          return error_response({ErrorCode::kInvalidArgument, "expected json or csv", "format"});
        auto report = ctx.reports->run(request.who(), in);
        if (!report) return error_response(report.error());
        if (wants_csv(request, format)) return csv_response(*report);
        json::array rows;
        for (const auto& r : report->rows) rows.push_back(row_json(r));
        return json_response(200, json::object{{"metric", report->metric},
                                               {"unit", report->unit},
                                               {"from", report->from},
                                               {"to", report->to},
                                               {"time_zone", report->time_zone},
                                               {"whole_hour_zone", report->whole_hour_zone},
                                               {"group_by", report->group_by},
                                               {"scope", report->scope},
                                               {"total", row_json(report->total)},
                                               {"rows", std::move(rows)}});
      });
}

}  // namespace gongdan::api
