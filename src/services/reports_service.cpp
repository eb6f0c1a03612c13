#include "services/reports_service.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "domain/report_period.hpp"
#include "domain/report_rollup.hpp"
#include "services/report_folding.hpp"
#include "store/database.hpp"
#include "store/report_folds.hpp"
#include "store/report_store.hpp"
#include "store/report_tiers.hpp"
#include "store/tickets_store.hpp"
#include "store/users_store.hpp"
#include "store/work_time_store.hpp"
#include "util/iso_time.hpp"

namespace gongdan::services {
namespace {

constexpr Millis kDay = 24 * kMillisPerHour;
constexpr std::int64_t kMaxDays = 3 * 366;
constexpr std::int64_t kMaxHourRows = 31 * 24;

enum class Kind { kCount, kAverage, kBacklog, kRatio };
struct MetricInfo {
  std::string_view name;
  Kind kind;
  std::string_view count;  // the rollup counted (or timed); ratios: the whole
  std::string_view sum;    // averages: the rollup of summed milliseconds; ratios: the part
};
constexpr MetricInfo kMetrics[] = {
    {"tickets_created", Kind::kCount, "created", ""},
    {"tickets_solved", Kind::kCount, "solved", ""},
    {"tickets_reopened", Kind::kCount, "reopened", ""},
    {"first_response_time", Kind::kAverage, "first_response", "first_response_ms"},
    {"resolution_time", Kind::kAverage, "resolution", "resolution_ms"},
    {"replies_to_resolution", Kind::kAverage, "resolution", "resolution_replies"},
    {"one_touch_resolution", Kind::kRatio, "resolution", "one_touch"},
    {"agent_replies", Kind::kCount, "replies", ""},
    // Handle time: its total (value and count are the milliseconds), and per solved ticket.
    {"handle_time", Kind::kCount, "handle_ms", ""},
    {"handle_time_per_solve", Kind::kAverage, "solved", "handle_ms"},
    {"backlog", Kind::kBacklog, "backlog", ""},
    {"csat", Kind::kRatio, "csat_rated", "csat_positive"},
    {"csat_response_rate", Kind::kRatio, "csat_sent", "csat_rated"},
    {"sla_compliance", Kind::kRatio, "sla", "sla_met"},
    {"sla_first_response_compliance", Kind::kRatio, "sla_first_response", "sla_first_response_met"},
    {"sla_next_response_compliance", Kind::kRatio, "sla_next_response", "sla_next_response_met"},
    {"sla_resolution_compliance", Kind::kRatio, "sla_resolution", "sla_resolution_met"},
    {"kb_deflections", Kind::kCount, "kb_deflected", ""},
};

const MetricInfo* find_metric(std::string_view name) {
  for (const auto& m : kMetrics)
    if (m.name == name) return &m;
  return nullptr;
}

std::optional<store::RollupDimension> dimension_of(std::string_view group) {
  using D = store::RollupDimension;
  if (group == "department") return D::kDepartment;
  if (group == "agent") return D::kAgent;
  if (group == "priority") return D::kPriority;
  if (group == "type") return D::kType;
  if (group == "channel") return D::kChannel;
  return std::nullopt;
}

std::optional<ReportStep> step_of(std::string_view group) {
  if (group == "hour") return ReportStep::kHour;
  if (group == "day") return ReportStep::kDay;
  if (group == "week") return ReportStep::kWeek;
  if (group == "month") return ReportStep::kMonth;
  return std::nullopt;
}

// Backlog age bands, by the ticket's age now.
std::string age_band(Millis age) {
  if (age < kDay) return "0-1d";
  if (age < 3 * kDay) return "1-3d";
  if (age < 7 * kDay) return "3-7d";
  if (age < 30 * kDay) return "7-30d";
  return "30d+";
}
const std::vector<std::string> kAgeBands = {"0-1d", "1-3d", "3-7d", "7-30d", "30d+"};

struct Totals {
  std::int64_t count = 0;
  std::int64_t sum = 0;
};

ReportRow row_of(const std::string& key, const Totals& t, Kind kind) {
  ReportRow row{key, key, 0, t.count, kind == Kind::kRatio ? t.sum : 0};
  if (kind == Kind::kAverage || kind == Kind::kRatio)
    row.value = t.count ? static_cast<double>(t.sum) / static_cast<double>(t.count) : 0;
  else
    row.value = static_cast<double>(t.count);
  return row;
}

// The extra dimension a request groups or filters by (store::RollupQuery::dimension).
struct Extra {
  std::string dimension;             // empty: none
  std::optional<std::string> value;  // a filter's value
  bool grouped = false;
};

bool is_select_field(const Catalog& catalog, std::string_view key) {
  const auto keys = select_field_keys(catalog.fields);
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

Result<Extra> read_extra(const ReportRequest& in, const Catalog& catalog) {
  Extra out;
  const auto& g = in.group_by;
  if (g == "tag" || g == "organization" || g.starts_with("field:")) {
    if (g.starts_with("field:") && !is_select_field(catalog, g.substr(6)))
      return fail(ErrorCode::kInvalidArgument, "no dropdown or multi-select field " + g.substr(6),
                  "group_by");
    out.dimension = g;
    out.grouped = true;
  }
  const int filters = !in.tag.empty() + !in.organization.empty() + !in.field.empty();
  if (filters == 0) return out;
  const char* name = !in.tag.empty() ? "tag" : !in.organization.empty() ? "organization" : "field";
  if (filters > 1)
    return fail(ErrorCode::kInvalidArgument, "filter by one of tag, organization and field", name);
  std::string dimension = name;
  if (!in.tag.empty()) {
    auto tag = normalize_tag(in.tag);
    if (!tag) return fail(ErrorCode::kInvalidArgument, tag.error().message, "tag");
    out.value = std::move(*tag);
  } else if (!in.organization.empty()) {
    std::int64_t id = 0;
    const auto& text = in.organization;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0)
      return fail(ErrorCode::kInvalidArgument, "expected an organization id", "organization");
    out.value = text;
  } else {
    const auto colon = in.field.find(':');
    const std::string key = in.field.substr(0, colon);
    if (colon == std::string::npos || colon + 1 == in.field.size() ||
        !is_select_field(catalog, key))
      return fail(ErrorCode::kInvalidArgument,
                  "expected <key>:<value> of a dropdown or multi-select field", "field");
    dimension = "field:" + key;
    out.value = in.field.substr(colon + 1);
  }
  if (out.grouped && dimension != out.dimension)
    return fail(ErrorCode::kInvalidArgument,
                "group by the same dimension you filter by, or by a period, department or agent",
                "group_by");
  out.dimension = dimension;
  return out;
}

// A name for an extra dimension's value: the organization's, the option's in the viewer's
// language, else the value itself.
std::string extra_label(const Extra& extra, const std::string& value, const Catalog& catalog,
                        const std::map<std::int64_t, std::string>& organizations, bool zh) {
  if (extra.dimension == "organization") {
    const auto it = organizations.find(std::stoll(value));
    return it != organizations.end() ? it->second : "#" + value;
  }
  if (extra.dimension.starts_with("field:"))
    for (const auto& f : catalog.fields)
      if (f.key == std::string_view(extra.dimension).substr(6))
        for (const auto& o : f.options)
          if (o.value == value) return zh && !o.label_zh.empty() ? o.label_zh : o.label;
  return value;
}

// Staff with any of the reports permissions.
bool may_view_reports(const Viewer& viewer) {
  return viewer.is_agent() && (viewer.can(Permission::kViewOwnReports) ||
                               viewer.can(Permission::kViewDepartmentReports) ||
                               viewer.can(Permission::kViewAllReports));
}

// Whose tickets the viewer's reports count: every one, their departments', or their own.
std::string scope_of(const Viewer& viewer, store::RollupQuery& q) {
  const bool departments = viewer.can(Permission::kViewDepartmentReports);
  if (viewer.can(Permission::kViewAllReports) || (departments && viewer.all_departments))
    return "all";
  if (departments) {
    q.departments = viewer.departments;
    return "departments";
  }
  q.agent_id = viewer.user_id;
  return "own";
}

// What a report's rows are: periods, a dimension, age bands (the backlog), or an extra
// dimension's values.
struct Grouping {
  std::optional<ReportStep> step;
  std::optional<store::RollupDimension> dimension;
  bool by_age = false;
};

Result<Grouping> grouping_of(const std::string& group_by, const MetricInfo& metric,
                             const Extra& extra) {
  const Grouping g{step_of(group_by), dimension_of(group_by), group_by == "age"};
  if (!group_by.empty() && !g.step && !g.dimension && !extra.grouped &&
      !(g.by_age && metric.kind == Kind::kBacklog))
    return fail(ErrorCode::kInvalidArgument,
                metric.kind == Kind::kBacklog
                    ? "expected age, department, agent, priority, type, channel, tag, "
                      "organization or field:<key>"
                    : "expected hour, day, week, month, department, agent, priority, type, "
                      "channel, tag, organization or field:<key>",
                "group_by");
  if (!extra.dimension.empty() && g.dimension &&
      g.dimension != store::RollupDimension::kDepartment &&
      g.dimension != store::RollupDimension::kAgent)
    return fail(ErrorCode::kInvalidArgument,
                "with a tag, organization or field, group by a period, department or agent",
                "group_by");
  // A deflection has no ticket, so no department, agent or other dimension.
  if (metric.name == "kb_deflections" && (g.dimension || !extra.dimension.empty()))
    return fail(ErrorCode::kInvalidArgument,
                "knowledge-base deflections group by hour, day, week or month only", "group_by");
  if (metric.kind == Kind::kBacklog && g.step)
    return fail(ErrorCode::kInvalidArgument, "the backlog is counted now, not per period",
                "group_by");
  return g;
}

// The range: whole UTC hours from the start of `from` to the end of `to`, in the zone; the
// backlog is counted over all time.
Result<void> read_range(const ReportRequest& in, const ReportZone& zone, Millis now,
                        const MetricInfo& metric, std::optional<ReportStep> step,
                        store::RollupQuery& q, Report& out) {
  if (metric.kind == Kind::kBacklog) {
    q.from_hour = std::numeric_limits<std::int32_t>::min();
    q.to_hour = std::numeric_limits<std::int32_t>::max();
    return {};
  }
  Millis from = 0, to = 0;
  if (in.to.empty()) {
    to = now;
  } else {
    GONGDAN_ASSIGN(auto to_day, zone.start_of_day(in.to, "to"));
    // The end of that day: the start of the next (a day is 23 to 25 hours long).
    GONGDAN_ASSIGN(
        to, zone.start_of_day(
                zone.label(hour_at_or_after(to_day + 36 * kMillisPerHour) - 1, ReportStep::kDay),
                "to"));
  }
  if (in.from.empty()) {
    from = to - 30 * kDay;
  } else {
    GONGDAN_ASSIGN(from, zone.start_of_day(in.from, "from"));
  }
  if (from >= to) return fail(ErrorCode::kInvalidArgument, "from must be before to", "from");
  if (to - from > kMaxDays * kDay)
    return fail(ErrorCode::kInvalidArgument, "the range is longer than three years", "from");
  q.from_hour = hour_at_or_after(from);
  q.to_hour = hour_at_or_after(to);
  if (step == ReportStep::kHour && q.to_hour - q.from_hour > kMaxHourRows)
    return fail(ErrorCode::kInvalidArgument, "group by hour covers at most 31 days", "group_by");
  out.from = iso_time(q.from_hour * kMillisPerHour);
  out.to = iso_time(q.to_hour * kMillisPerHour);
  out.whole_hour_zone = zone.whole_hours_at(from) && zone.whole_hours_at(to);
  return {};
}

// The rollups summed, and the metric and grouping asked of them.
void ask_for(store::RollupQuery& q, const MetricInfo& metric, const Extra& extra,
             std::optional<store::RollupDimension> dimension) {
  q.metrics.emplace_back(metric.count);
  if (!metric.sum.empty()) q.metrics.emplace_back(metric.sum);
  q.group = extra.grouped ? store::RollupDimension::kValue
                          : dimension.value_or(store::RollupDimension::kNone);
  q.dimension = extra.dimension;
  q.dimension_value = extra.value;
  // The fewest rows that answer: totals unless the scope or the grouping needs finer ones.
  const bool coarse = !dimension || dimension == store::RollupDimension::kDepartment;
  if (q.agent_id || !coarse)
    q.rows = store::RollupRows::kEveryDimension;
  else if (q.departments || dimension)
    q.rows = store::RollupRows::kDepartmentTotals;
  else
    q.rows = store::RollupRows::kGrandTotal;
}

// The sums, with the names of the organizations and agents they are grouped by.
struct Sums {
  std::vector<store::RollupSum> sums;
  std::map<std::int64_t, User> people;
  std::map<std::int64_t, std::string> organizations;
};

Result<Sums> read_sums(store::Connection& c, const store::TierRequest& tiers, const Extra& extra,
                       std::optional<store::RollupDimension> dimension, const ReportZone& zone,
                       Millis now) {
  Sums out;
  GONGDAN_ASSIGN(out.sums, store::sum_tiers(c, tiers, zone, now));
  if (extra.grouped && extra.dimension == "organization") {
    std::set<std::int64_t> ids;
    for (const auto& s : out.sums) ids.insert(std::stoll(s.group));
    GONGDAN_ASSIGN(out.organizations,
                   store::organization_names(c, std::vector<std::int64_t>(ids.begin(), ids.end())));
  }
  if (dimension == store::RollupDimension::kAgent) {
    std::set<std::int64_t> ids;
    for (const auto& s : out.sums)
      if (auto id = std::stoll(s.group)) ids.insert(id);
    GONGDAN_ASSIGN(auto users,
                   store::find_users(c, std::vector<std::int64_t>(ids.begin(), ids.end())));
    for (auto& u : users) out.people.emplace(u.id, std::move(u));
  }
  return out;
}

// The sums added up per row (a period's label, an age band, a group's value) and in `total`.
std::map<std::string, Totals> add_up(const Sums& sums, const Grouping& grouping,
                                     const ReportZone& zone, Millis now,
                                     std::string_view sum_metric, Totals& total) {
  std::map<std::string, Totals> groups;
  for (const auto& s : sums.sums) {
    std::string key;
    if (grouping.step)
      key = zone.label(s.hour, *grouping.step);
    else if (grouping.by_age)
      key = age_band(now - s.hour * kMillisPerHour);
    else
      key = s.group;
    auto& g = groups[key];
    const bool is_sum = s.metric == sum_metric;
    (is_sum ? g.sum : g.count) += s.n;
    (is_sum ? total.sum : total.count) += s.n;
  }
  return groups;
}

// A row's label: the department's, agent's, organization's or option's name, or the priority.
void label_row(ReportRow& row, const std::string& key, const Sums& sums, const Extra& extra,
               std::optional<store::RollupDimension> dimension, const Catalog& catalog, bool zh) {
  if (extra.grouped) {
    row.label = extra_label(extra, key, catalog, sums.organizations, zh);
  } else if (dimension == store::RollupDimension::kDepartment) {
    const auto id = std::stoll(key);
    const auto* d = id ? catalog.department(id) : nullptr;
    row.label = d ? d->name : (id ? "#" + key : "");
  } else if (dimension == store::RollupDimension::kAgent) {
    const auto it = sums.people.find(std::stoll(key));
    row.label = it != sums.people.end()
                    ? (it->second.name.empty() ? it->second.email : it->second.name)
                    : (key == "0" ? "" : "#" + key);
  } else if (dimension == store::RollupDimension::kPriority) {
    row.key = row.label = std::string(priority_name(static_cast<Priority>(std::stoi(key))));
  }
}

}  // namespace

const std::vector<std::string>& report_metrics() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& m : kMetrics) out.emplace_back(m.name);
    return out;
  }();
  return names;
}

Result<Report> ReportsService::run(const Principal& who, const ReportRequest& in) {
  const auto* metric = find_metric(in.metric);
  if (!metric) return fail(ErrorCode::kNotFound, "no such report metric", "metric");
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  if (!may_view_reports(viewer))
    return fail(ErrorCode::kPermissionDenied, "your role may not view reports (reports.view)");

  Report out;
  out.metric = metric->name;
  // Replies to resolution is an average of counts; the other averages are of times.
  out.unit = metric->sum == "resolution_replies"                              ? "average"
             : metric->kind == Kind::kAverage || metric->count == "handle_ms" ? "milliseconds"
             : metric->kind == Kind::kRatio                                   ? "ratio"
                                                                              : "count";
  store::RollupQuery q;
  out.scope = scope_of(viewer, q);
  // The zone: the request's, else the viewer's own.
  std::string tz = in.tz;
  if (tz.empty()) {
    if (who.user.id) tz = who.user.time_zone;
  }
  GONGDAN_ASSIGN(auto zone, ReportZone::create(tz));
  out.time_zone = zone.name();

  const Millis now = clock_.now_ms();
  out.group_by = in.group_by.empty() && metric->kind == Kind::kBacklog ? "age" : in.group_by;
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  GONGDAN_ASSIGN(const auto extra, read_extra(in, *catalog));
  GONGDAN_ASSIGN(const auto grouping, grouping_of(out.group_by, *metric, extra));
  GONGDAN_TRY(read_range(in, zone, now, *metric, grouping.step, q, out));
  ask_for(q, *metric, extra, grouping.dimension);
  const store::TierRequest tiers{q, grouping.step, metric->kind == Kind::kBacklog, grouping.by_age,
                                 extra.grouped};
  Sums sums;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(sums, read_sums(c, tiers, extra, grouping.dimension, zone, now));
    return {};
  }));

  Totals total;
  auto groups = add_up(sums, grouping, zone, now, metric->sum, total);
  const Kind kind = metric->kind == Kind::kBacklog ? Kind::kCount : metric->kind;
  out.total = row_of("", total, kind);
  const bool zh = who.user.locale == "zh-CN";
  auto add_row = [&](const std::string& key, const Totals& t) {
    auto row = row_of(key, t, kind);
    label_row(row, key, sums, extra, grouping.dimension, *catalog, zh);
    out.rows.push_back(std::move(row));
  };
  if (grouping.by_age) {
    for (const auto& band : kAgeBands) add_row(band, groups[band]);
  } else if (!out.group_by.empty()) {
    for (const auto& [key, t] : groups)
      if (t.count != 0 || t.sum != 0) add_row(key, t);
  }
  return out;
}

Result<std::int64_t> ReportsService::rebuild() {
  std::int64_t replayed = 0;
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  GONGDAN_TRY(db_.exclusive([&](store::Connection& c) -> Result<void> {
    GONGDAN_TRY(store::clear_rollups(c));
    GONGDAN_ASSIGN(auto categories, store::status_categories(c));
    GONGDAN_ASSIGN(auto agents, store::agent_ids(c));
    const std::set<std::int64_t> agent_set(agents.begin(), agents.end());
    ReplayLookups lookups{[&](std::string_view name) -> std::optional<StatusCategory> {
                            const auto it = categories.find(std::string(name));
                            if (it == categories.end()) return std::nullopt;
                            return it->second;
                          },
                          [&](std::int64_t id) { return agent_set.contains(id); },
                          select_field_keys(catalog->fields)};
    store::TicketListQuery page_query;
    page_query.sort = TicketSort::kCreatedAsc;
    page_query.limit = 2000;
    while (true) {
      GONGDAN_ASSIGN(auto page, store::list_tickets(c, page_query));
      std::vector<std::int64_t> ids;
      for (const auto& t : page) ids.push_back(t.id);
      GONGDAN_ASSIGN(auto histories, store::ticket_histories(c, ids));
      // Handle time is not in the history: its own rows say where in it each span belongs.
      GONGDAN_ASSIGN(auto work, store::work_spans(c, ids));
      RollupDeltas deltas;
      for (const auto& t : page) replay_rollups(t, histories[t.id], lookups, deltas, work[t.id]);
      GONGDAN_TRY(store::add_rollups(c, deltas));
      replayed += static_cast<std::int64_t>(page.size());
      if (static_cast<int>(page.size()) < page_query.limit) break;
      page_query.after = TicketCursor{page.back().created_at, page.back().id};
    }
    // Knowledge-base deflections are no ticket's history: counted from their own rows.
    {
      GONGDAN_ASSIGN(const auto times, store::kb_deflection_times(c));
      RollupDeltas deltas;
      for (const auto at : times) rollup_kb_deflection(at, deltas);
      GONGDAN_TRY(store::add_rollups(c, deltas));
    }
    // The counters just added are flushed with the transaction; fold what they hold.
    GONGDAN_TRY(c.flush());
    const auto until = ReportFolding::limit(clock_.now_ms());
    for (bool more = true; more;) {
      GONGDAN_ASSIGN(const auto folded,
                     store::fold_days(c, until, ReportFolding::kCommandBatchDays));
      more = folded.more;
    }
    return {};
  }));
  return replayed;
}

}  // namespace gongdan::services
