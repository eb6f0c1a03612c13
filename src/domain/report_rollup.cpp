#include "domain/report_rollup.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <limits>
#include <vector>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "domain/csat.hpp"

namespace gongdan {

namespace {
std::atomic<bool> kept_rollups{true};
}  // namespace

void set_rollups_kept(bool kept) { kept_rollups.store(kept, std::memory_order_relaxed); }
bool rollups_kept() { return kept_rollups.load(std::memory_order_relaxed); }
namespace {

std::int64_t hour_of(Millis at) {
  return at >= 0 ? at / kMillisPerHour : (at - kMillisPerHour + 1) / kMillisPerHour;
}

// Each change adds to three rows: the one with every dimension, its department's total and the
// grand total (kAnyDimension in the rest), so reports that need no finer grouping read few rows.
void add(RollupDeltas& out, std::string_view metric, Millis at, const ReportState& s,
         std::int64_t n, std::optional<std::int64_t> agent = std::nullopt) {
  if (n == 0) return;
  const auto hour = hour_of(at);
  out[rollup_key(metric, hour, s, agent)] += n;
  out[total_key(metric, hour, s.department_id.value_or(0))] += n;
  out[total_key(metric, hour, kAnyDimension)] += n;
  const auto department = s.department_id.value_or(0);
  const auto who = agent ? *agent : s.assignee_id.value_or(0);
  auto extra = [&](std::string_view dimension, std::string_view value) {
    out[dimension_key(metric, hour, department, who, dimension, value)] += n;
  };
  if (s.organization_id) extra("organization", std::to_string(*s.organization_id));
  for (const auto& tag : s.tags) extra("tag", tag);
  for (const auto& [key, value] : s.fields) extra("field:" + key, value);
  // The backlog's running count per dimension, kept live (a backlog is read now, never per
  // day). The other metrics' days and months are folded from finished hours by a job
  // (store/report_folds.hpp), so the write adds nothing to them. A batch of writes sums its
  // counters before storing them, so a counter without the department (kAnyDimension) costs one
  // row per batch, one with it a row per department: only the departments' totals and the extra
  // dimensions keep it, besides the same without.
  if (metric != "backlog") return;
  auto daily = [&](std::int64_t dept, std::string_view dimension, std::string_view value) {
    out[daily_key(metric, kAllTime, dept, dimension, value)] += n;
  };
  auto both = [&](std::string_view dimension, std::string_view value) {
    daily(department, dimension, value);
    daily(kAnyDimension, dimension, value);
  };
  both("", "");
  daily(kAnyDimension, "agent", std::to_string(who));
  daily(kAnyDimension, "priority", std::to_string(static_cast<int>(s.priority)));
  daily(kAnyDimension, "type", type_name(s.type));
  daily(kAnyDimension, "channel", s.channel);
  if (s.organization_id) both("organization", std::to_string(*s.organization_id));
  for (const auto& tag : s.tags) both("tag", tag);
  for (const auto& [key, value] : s.fields) both("field:" + key, value);
}

bool same_place(const ReportState& a, const ReportState& b) {
  return a.unsolved == b.unsolved && a.department_id == b.department_id &&
         a.assignee_id == b.assignee_id && a.priority == b.priority && a.type == b.type &&
         a.organization_id == b.organization_id && a.tags == b.tags && a.fields == b.fields;
}

// The one-step change: at most the category or the dimensions differ.
void step(ReportState& s, const ReportState& next, Millis now, RollupDeltas& out) {
  if (same_place(s, next)) return;
  const Millis created_hour_at = s.created_at;
  if (s.unsolved && !next.unsolved) {
    add(out, "solved", now, next, 1);
    add(out, "resolution", now, next, 1);
    add(out, "resolution_ms", now, next, now - s.created_at);
    // Agent replies from creation to this solve; one reply alone is a one-touch resolution.
    add(out, "resolution_replies", now, next, s.replies);
    if (s.replies == 1) add(out, "one_touch", now, next, 1);
    add(out, "backlog", created_hour_at, s, -1);
  } else if (!s.unsolved && next.unsolved) {
    add(out, "reopened", now, next, 1);
    add(out, "backlog", created_hour_at, next, 1);
  } else if (s.unsolved) {
    add(out, "backlog", created_hour_at, s, -1);
    add(out, "backlog", created_hour_at, next, 1);
  }
  const bool responded = s.responded;
  const auto replies = s.replies;
  s = next;
  s.responded = responded;
  s.replies = replies;
}

}  // namespace

const std::vector<std::string>& folded_metrics() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out = {
        "created",   "solved",     "resolution",    "resolution_ms",  "resolution_replies",
        "one_touch", "reopened",   "replies",       "first_response", "first_response_ms",
        "csat_sent", "csat_rated", "csat_positive", "kb_deflected",   "sla",
        "sla_met",   "handle_ms"};
    for (const auto* target : {"first_response", "next_response", "resolution"}) {
      out.push_back(fmt::format("sla_{}", target));
      out.push_back(fmt::format("sla_{}_met", target));
    }
    return out;
  }();
  return names;
}

std::int64_t month_of_day(std::int64_t day) {
  using namespace std::chrono;
  // A day starts at 00:00 in UTC+8: its first hour plus 8 is a whole number of days.
  const auto local = floor<days>(sys_seconds(hours(day + 24 - kDayStartHour)));
  const year_month_day date{local};
  return sys_days(date.year() / date.month() / 1).time_since_epoch().count() * 24 -
         (24 - kDayStartHour);
}

std::int64_t next_month(std::int64_t month) {
  using namespace std::chrono;
  const auto local = floor<days>(sys_seconds(hours(month + 24 - kDayStartHour)));
  const year_month_day date{local};
  const auto next = date.year() / date.month() / 1 + months(1);
  return sys_days(next).time_since_epoch().count() * 24 - (24 - kDayStartHour);
}

std::vector<std::string> select_field_keys(const std::vector<FieldDefinition>& fields) {
  std::vector<std::string> out;
  for (const auto& f : fields)
    if (f.type == FieldType::kDropdown || f.type == FieldType::kMultiSelect) out.push_back(f.key);
  return out;
}

std::vector<std::pair<std::string, std::string>> select_values(
    std::string_view custom_fields, std::span<const std::string> select_fields) {
  std::vector<std::pair<std::string, std::string>> out;
  if (select_fields.empty() || custom_fields.empty()) return out;
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(custom_fields, ec);
  const auto* values = ec ? nullptr : parsed.if_object();
  if (!values) return out;
  for (const auto& key : select_fields) {
    const auto* v = values->if_contains(key);
    if (!v) continue;
    if (const auto* one = v->if_string()) out.emplace_back(key, std::string(*one));
    if (const auto* list = v->if_array())
      for (const auto& item : *list)
        if (const auto* text = item.if_string()) out.emplace_back(key, std::string(*text));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

ReportState report_state_of(const Ticket& t, std::span<const std::string> select_fields) {
  ReportState s;
  s.created_at = t.created_at;
  s.department_id = t.department_id;
  s.assignee_id = t.assignee_id;
  s.priority = t.priority;
  s.type = t.type;
  s.channel = t.channel;
  s.unsolved = is_unsolved(t.category);
  s.responded = t.first_response_at.has_value();
  s.organization_id = t.organization_id;
  s.tags = t.tags;
  std::sort(s.tags.begin(), s.tags.end());
  s.fields = select_values(t.custom_fields, select_fields);
  return s;
}

std::string rollup_key(std::string_view metric, std::int64_t hour, const ReportState& s,
                       std::optional<std::int64_t> agent) {
  std::string key = "r|";
  key += metric;
  key += '|';
  key += std::to_string(hour);
  key += '|';
  key += std::to_string(s.department_id.value_or(0));
  key += '|';
  key += std::to_string(agent ? *agent : s.assignee_id.value_or(0));
  key += '|';
  key += std::to_string(static_cast<int>(s.priority));
  key += '|';
  key += type_name(s.type);
  key += '|';
  key += s.channel;
  return key;
}

std::string total_key(std::string_view metric, std::int64_t hour, std::int64_t department) {
  return fmt::format("r|{}|{}|{}|{}|{}|*|*", metric, hour, department, kAnyDimension,
                     kAnyDimension);
}

std::string dimension_key(std::string_view metric, std::int64_t hour, std::int64_t department,
                          std::int64_t agent, std::string_view dimension, std::string_view value) {
  return fmt::format("d|{}|{}|{}|{}|{}|{}", metric, hour, department, agent, dimension, value);
}

std::string daily_key(std::string_view metric, std::int64_t day, std::int64_t department,
                      std::string_view dimension, std::string_view value) {
  return fmt::format("s|{}|{}|{}|{}|{}", metric, day, department, dimension, value);
}

bool is_rollup_key(std::string_view key) {
  return key.starts_with("r|") || key.starts_with("d|") || key.starts_with("s|");
}

std::optional<RollupKey> parse_rollup_key(std::string_view key) {
  if (!is_rollup_key(key)) return std::nullopt;
  // The last part is the rest: a channel's or a dimension's value may hold '|'.
  const bool extra = key.starts_with("d|");
  const bool daily = key.starts_with("s|");
  std::vector<std::string_view> parts;
  std::size_t start = 2;
  for (int i = 0; i < (daily ? 4 : extra ? 5 : 6); ++i) {
    const auto bar = key.find('|', start);
    if (bar == std::string_view::npos) return std::nullopt;
    parts.push_back(key.substr(start, bar - start));
    start = bar + 1;
  }
  parts.push_back(key.substr(start));
  auto number = [](std::string_view text, auto& value) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size();
  };
  RollupKey out;
  out.metric = std::string(parts[0]);
  if (daily) {
    if (!number(parts[1], out.hour) || !number(parts[2], out.department_id)) return std::nullopt;
    out.daily = true;
    out.dimension = std::string(parts[3]);
    out.value = std::string(parts[4]);
    return out;
  }
  if (extra) {
    if (!number(parts[1], out.hour) || !number(parts[2], out.department_id) ||
        !number(parts[3], out.agent_id) || parts[4].empty())
      return std::nullopt;
    out.dimension = std::string(parts[4]);
    out.value = std::string(parts[5]);
    return out;
  }
  if (!number(parts[1], out.hour) || !number(parts[2], out.department_id) ||
      !number(parts[3], out.agent_id) || !number(parts[4], out.priority))
    return std::nullopt;
  out.type = std::string(parts[5]);
  out.channel = std::string(parts[6]);
  return out;
}

void rollup_created(const ReportState& s, Millis now, RollupDeltas& out) {
  add(out, "created", now, s, 1);
  if (s.unsolved) add(out, "backlog", s.created_at, s, 1);
}

void rollup_agent_reply(ReportState& s, std::int64_t author, Millis now, RollupDeltas& out) {
  add(out, "replies", now, s, 1, author);
  ++s.replies;
  if (s.responded) return;
  s.responded = true;
  add(out, "first_response", now, s, 1);
  add(out, "first_response_ms", now, s, now - s.created_at);
}

void rollup_kb_deflection(Millis at, RollupDeltas& out) {
  add(out, "kb_deflected", at, ReportState{}, 1);
}

void rollup_csat_sent(const ReportState& s, Millis now, RollupDeltas& out) {
  add(out, "csat_sent", now, s, 1);
}

void rollup_csat_rated(const ReportState& s, std::string_view rating, Millis now,
                       RollupDeltas& out) {
  add(out, "csat_rated", now, s, 1);
  if (is_positive_rating(rating)) add(out, "csat_positive", now, s, 1);
}

void rollup_handle_time(const ReportState& s, std::int64_t agent, Millis ms, Millis at,
                        RollupDeltas& out) {
  add(out, "handle_ms", at, s, ms, agent);
}

bool rollup_sla(const ReportState& s, std::string_view target, bool met, Millis now,
                RollupDeltas& out) {
  if (target != "first_response" && target != "next_response" && target != "resolution")
    return false;
  // Each target's outcomes, and every target's together (sla_compliance), so neither report
  // sums several metrics.
  const std::string each = fmt::format("sla_{}", target);
  add(out, "sla", now, s, 1);
  add(out, each, now, s, 1);
  if (met) {
    add(out, "sla_met", now, s, 1);
    add(out, each + "_met", now, s, 1);
  }
  return true;
}

void rollup_change(ReportState& s, const ReportState& next, Millis now, RollupDeltas& out) {
  ReportState to = s;
  // Each member in turn takes its next value, a step of its own.
  const auto each = [&](auto... members) {
    ((to.*members = next.*members, step(s, to, now, out)), ...);
  };
  each(&ReportState::unsolved, &ReportState::priority, &ReportState::type,
       &ReportState::department_id, &ReportState::assignee_id, &ReportState::organization_id,
       &ReportState::tags, &ReportState::fields);
}

namespace {

std::optional<std::int64_t> id_value(const std::optional<std::string>& text) {
  if (!text || text->empty()) return std::nullopt;
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), id);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return id;
}

// Sets in `s` the field an event records, to `value` (its old or new value); false when the
// event is not one the rollups follow or its value cannot be read.
bool set_field(ReportState& s, const TicketEvent& e, const std::optional<std::string>& value,
               const ReplayLookups& lookups) {
  if (e.field == "status") {
    const auto category = value ? lookups.category_of(*value) : std::nullopt;
    if (!category) return false;
    s.unsolved = is_unsolved(*category);
  } else if (e.field == "priority") {
    const auto p = value ? parse_priority(*value) : std::nullopt;
    if (!p) return false;
    s.priority = *p;
  } else if (e.field == "type") {
    const auto t = value ? parse_type(*value) : std::nullopt;
    if (!t) return false;
    s.type = *t;
  } else if (e.field == "department") {
    s.department_id = id_value(value);
  } else if (e.field == "assignee") {
    s.assignee_id = id_value(value);
  } else if (e.field == "organization") {
    s.organization_id = id_value(value);
  } else if (e.field == "tags") {
    s.tags.clear();
    std::string_view text = value ? std::string_view(*value) : std::string_view();
    for (std::size_t at = 0; at < text.size();) {
      const auto space = std::min(text.find(' ', at), text.size());
      if (space > at) s.tags.emplace_back(text.substr(at, space - at));
      at = space + 1;
    }
    std::sort(s.tags.begin(), s.tags.end());
  } else if (e.field == "custom_fields") {
    s.fields = select_values(value.value_or(""), lookups.select_fields);
  } else {
    return false;
  }
  return true;
}

// An automatic assignment recorded just after "created" belongs to the new ticket: it was
// inserted with that assignee.
std::vector<bool> part_of_creation(std::span<const TicketEvent> history) {
  std::vector<bool> out(history.size(), false);
  for (std::size_t i = 0; i < history.size(); ++i) {
    if (history[i].field != "created") continue;
    for (std::size_t j = i + 1; j < history.size(); ++j) {
      const auto& e = history[j];
      if (e.via != "assignment" || (e.field != "assignee" && e.field != "assignment")) break;
      out[j] = true;
    }
  }
  return out;
}

}  // namespace

void replay_rollups(const Ticket& ticket, std::span<const TicketEvent> history,
                    const ReplayLookups& lookups, RollupDeltas& out,
                    std::span<const WorkSpan> work) {
  const auto created = part_of_creation(history);
  // The state at creation: the ticket as it is now, with each field's first recorded change
  // undone.
  ReportState s = report_state_of(ticket, lookups.select_fields);
  s.responded = false;
  std::vector<std::string> undone;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const auto& e = history[i];
    if (created[i] || std::find(undone.begin(), undone.end(), e.field) != undone.end()) continue;
    if (set_field(s, e, e.old_value, lookups)) undone.push_back(e.field);
  }
  rollup_created(s, ticket.created_at, out);
  // The work counted before event `before` (the spans come ordered by after_event).
  std::size_t next_work = 0;
  auto work_until = [&](std::int64_t before) {
    for (; next_work < work.size() && work[next_work].after_event < before; ++next_work)
      rollup_handle_time(s, work[next_work].user_id, work[next_work].ms, work[next_work].at, out);
  };
  for (std::size_t i = 0; i < history.size(); ++i) {
    const auto& e = history[i];
    work_until(e.id);
    if (created[i]) continue;
    if (e.field == "message") {
      if (e.actor_id && lookups.is_agent(*e.actor_id))
        rollup_agent_reply(s, *e.actor_id, e.at, out);
      continue;
    }
    if (e.field == "csat_sent") {
      rollup_csat_sent(s, e.at, out);
      continue;
    }
    if (e.field == "csat") {
      if (e.new_value) rollup_csat_rated(s, *e.new_value, e.at, out);
      continue;
    }
    if (e.field == "sla_met" || e.field == "sla_breach") {
      if (e.new_value) rollup_sla(s, *e.new_value, e.field == "sla_met", e.at, out);
      continue;
    }
    ReportState next = s;
    if (set_field(next, e, e.new_value, lookups)) rollup_change(s, next, e.at, out);
  }
  work_until(std::numeric_limits<std::int64_t>::max());
}

}  // namespace gongdan
