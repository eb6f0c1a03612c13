#include "services/sla_service.hpp"

#include "services/audit.hpp"
#include "services/sla_config.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

Result<void> sla_reader(const Principal& who) {
  if (!who.is_agent())
    return fail(ErrorCode::kPermissionDenied, "only agents may see SLA settings");
  return {};
}

Result<std::vector<std::string>> string_list(const boost::json::value& v,
                                             const std::string& field) {
  if (!v.is_array()) return fail(ErrorCode::kInvalidArgument, "must be a list", field);
  std::vector<std::string> out;
  for (const auto& item : v.as_array()) {
    if (!item.is_string())
      return fail(ErrorCode::kInvalidArgument, "must be a list of strings", field);
    out.emplace_back(item.as_string());
  }
  return out;
}

Result<std::optional<std::int64_t>> check_minutes(const std::optional<std::int64_t>& v,
                                                  std::string_view field) {
  if (v && (*v < 1 || *v > 525'600))
    return fail(ErrorCode::kInvalidArgument, "must be 1 to 525600 minutes (a year)",
                std::string(field));
  return v;
}

}  // namespace

const std::shared_ptr<const BusinessCalendar>& always_open_calendar() {
  static const std::shared_ptr<const BusinessCalendar> calendar = [] {
    BusinessCalendarSpec spec;
    spec.name = "24/7";
    spec.time_zone = "UTC";
    for (auto& day : spec.weekly_hours) day = {WorkingInterval{0, 1440}};
    auto created = BusinessCalendar::create(spec);
    return std::make_shared<const BusinessCalendar>(std::move(*created));
  }();
  return calendar;
}

Result<void> read_sla_conditions(const boost::json::object& conditions, SlaService::Entry& e) {
  for (const auto& [key, value] : conditions) {
    const std::string field = "conditions." + std::string(key);
    if (key == "priority") {
      GONGDAN_ASSIGN(auto names, string_list(value, field));
      for (const auto& n : names) {
        auto p = parse_priority(n);
        if (!p) return fail(ErrorCode::kInvalidArgument, "unknown priority '" + n + "'", field);
        e.priorities.push_back(*p);
      }
    } else if (key == "type") {
      GONGDAN_ASSIGN(auto names, string_list(value, field));
      for (const auto& n : names) {
        auto t = parse_type(n);
        if (!t) return fail(ErrorCode::kInvalidArgument, "unknown type '" + n + "'", field);
        e.types.push_back(*t);
      }
    } else if (key == "department") {
      if (!value.is_array())
        return fail(ErrorCode::kInvalidArgument, "must be a list of ids", field);
      for (const auto& item : value.as_array()) {
        if (!item.is_int64() || item.as_int64() <= 0)
          return fail(ErrorCode::kInvalidArgument, "must be a list of ids", field);
        e.departments.push_back(item.as_int64());
      }
    } else if (key == "organization_tier") {
      GONGDAN_ASSIGN(e.tiers, string_list(value, field));
    } else {
      return fail(ErrorCode::kInvalidArgument,
                  "unknown condition; use priority, type, department or organization_tier", field);
    }
  }
  return {};
}

Result<std::shared_ptr<const SlaService::Config>> SlaService::config(store::Connection& c) {
  return config_.get([&]() -> Result<std::shared_ptr<const Config>> {
    GONGDAN_ASSIGN(auto calendars, store::list_calendars(c));
    GONGDAN_ASSIGN(auto rows, store::list_sla_policies(c));
    std::map<std::int64_t, std::shared_ptr<const BusinessCalendar>> by_id;
    for (const auto& row : calendars) {
      auto parsed = parse_business_calendar(row.spec);
      if (parsed) by_id[row.id] = std::make_shared<const BusinessCalendar>(std::move(*parsed));
    }
    auto cfg = std::make_shared<Config>();
    for (auto& row : rows) {
      Entry e;
      boost::system::error_code ec;
      auto conditions = boost::json::parse(row.conditions, ec);
      if (!ec && conditions.is_object()) (void)read_sla_conditions(conditions.as_object(), e);
      e.policy.id = std::to_string(row.id);
      if (row.first_response_minutes)
        e.policy.targets.first_response_minutes = row.first_response_minutes;
      if (row.next_response_minutes)
        e.policy.targets.next_response_minutes = row.next_response_minutes;
      if (row.resolution_minutes) e.policy.targets.resolution_minutes = row.resolution_minutes;
      auto cal = row.calendar_id ? by_id.find(*row.calendar_id) : by_id.end();
      e.calendar = cal != by_id.end() ? cal->second : always_open_calendar();
      cfg->any_active = cfg->any_active || row.active;
      cfg->uses_tier = cfg->uses_tier || (row.active && !e.tiers.empty());
      e.row = std::move(row);
      cfg->policies.push_back(std::move(e));
    }
    return std::shared_ptr<const Config>{cfg};
  });
}

void SlaService::invalidate() { directory_.settings_changed(); }

Result<std::vector<store::CalendarRow>> SlaService::calendars(const Principal& who) {
  GONGDAN_TRY(sla_reader(who));
  GONGDAN_ASSIGN(auto out, store::read_value(db_, [&](store::Connection& c) {
                   return store::list_calendars(c);
                 }));
  return out;
}

Result<store::CalendarRow> SlaService::calendar(const Principal& who, std::int64_t id) {
  GONGDAN_ASSIGN(auto all, calendars(who));
  for (auto& row : all)
    if (row.id == id) return row;
  return fail(ErrorCode::kNotFound, "no such calendar");
}

Result<store::CalendarRow> SlaService::create_calendar(const Principal& who,
                                                       const boost::json::value& spec) {
  GONGDAN_TRY(require_admin(who, "change SLA settings"));
  GONGDAN_ASSIGN(auto parsed, parse_business_calendar_spec(spec));
  GONGDAN_TRY(BusinessCalendar::create(parsed));
  store::CalendarRow row;
  row.name = text::strip_controls(text::trim(parsed.name));
  if (row.name.empty() || row.name.size() > 100)
    return fail(ErrorCode::kInvalidArgument, "must be 1 to 100 bytes of text", "name");
  row.spec = boost::json::serialize(spec);
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    row.created_at = row.updated_at = clock_.now_ms();
    GONGDAN_ASSIGN(row.id, store::insert_calendar(c, row));
    return record_audit(c, row.created_at, actor_id(who), "calendar.create",
                        "calendar:" + std::to_string(row.id), who.ip);
  }));
  invalidate();
  return row;
}

Result<store::CalendarRow> SlaService::replace_calendar(const Principal& who, std::int64_t id,
                                                        const boost::json::value& spec) {
  GONGDAN_TRY(require_admin(who, "change SLA settings"));
  GONGDAN_ASSIGN(auto row, calendar(who, id));
  GONGDAN_ASSIGN(auto parsed, parse_business_calendar_spec(spec));
  GONGDAN_TRY(BusinessCalendar::create(parsed));
  row.name = text::strip_controls(text::trim(parsed.name));
  if (row.name.empty() || row.name.size() > 100)
    return fail(ErrorCode::kInvalidArgument, "must be 1 to 100 bytes of text", "name");
  row.spec = boost::json::serialize(spec);
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    row.updated_at = clock_.now_ms();
    GONGDAN_ASSIGN(bool saved, store::update_calendar(c, row));
    if (!saved) return fail(ErrorCode::kNotFound, "no such calendar");
    return record_audit(c, row.updated_at, actor_id(who), "calendar.update",
                        "calendar:" + std::to_string(id), who.ip);
  }));
  invalidate();
  return row;
}

Result<void> SlaService::delete_calendar(const Principal& who, std::int64_t id) {
  GONGDAN_TRY(require_admin(who, "change SLA settings"));
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto rows, store::list_sla_policies(c));
    for (const auto& p : rows)
      if (p.calendar_id == id)
        return fail(ErrorCode::kConflict,
                    "the SLA policy '" + p.name + "' uses this calendar; change it first");
    GONGDAN_ASSIGN(bool removed, store::delete_calendar(c, id));
    if (!removed) return fail(ErrorCode::kNotFound, "no such calendar");
    return record_audit(c, clock_.now_ms(), actor_id(who), "calendar.delete",
                        "calendar:" + std::to_string(id), who.ip);
  }));
  invalidate();
  return {};
}

Result<void> SlaService::validate(store::SlaPolicyRow& row, const SlaPolicyInput& in,
                                  bool creating) {
  if (in.name) {
    row.name = text::strip_controls(text::trim(*in.name));
    if (row.name.empty() || row.name.size() > 100 || !text::is_valid_utf8(row.name))
      return fail(ErrorCode::kInvalidArgument, "must be 1 to 100 bytes of text", "name");
  } else if (creating) {
    return fail(ErrorCode::kInvalidArgument, "is required", "name");
  }
  if (in.position) row.position = *in.position;
  if (in.calendar_id) row.calendar_id = *in.calendar_id;
  if (in.conditions) {
    Entry scratch;
    GONGDAN_TRY(read_sla_conditions(*in.conditions, scratch));
    if (!scratch.departments.empty()) {
      GONGDAN_ASSIGN(auto catalog, directory_.catalog());
      for (auto d : scratch.departments)
        if (!catalog->department(d))
          return fail(ErrorCode::kInvalidArgument, "no such department", "conditions.department");
    }
    row.conditions = boost::json::serialize(*in.conditions);
  }
  if (in.first_response_minutes) {
    GONGDAN_ASSIGN(row.first_response_minutes,
                   check_minutes(*in.first_response_minutes, "targets.first_response_minutes"));
  }
  if (in.next_response_minutes) {
    GONGDAN_ASSIGN(row.next_response_minutes,
                   check_minutes(*in.next_response_minutes, "targets.next_response_minutes"));
  }
  if (in.resolution_minutes) {
    GONGDAN_ASSIGN(row.resolution_minutes,
                   check_minutes(*in.resolution_minutes, "targets.resolution_minutes"));
  }
  if (in.warning_minutes) {
    GONGDAN_ASSIGN(row.warning_minutes, check_minutes(*in.warning_minutes, "warning_minutes"));
  }
  if (!row.first_response_minutes && !row.next_response_minutes && !row.resolution_minutes)
    return fail(ErrorCode::kInvalidArgument, "set at least one target", "targets");
  if (in.active) row.active = *in.active;
  return {};
}

Result<std::vector<store::SlaPolicyRow>> SlaService::policies(const Principal& who) {
  GONGDAN_TRY(sla_reader(who));
  GONGDAN_ASSIGN(auto out, store::read_value(db_, [&](store::Connection& c) {
                   return store::list_sla_policies(c);
                 }));
  return out;
}

Result<store::SlaPolicyRow> SlaService::policy(const Principal& who, std::int64_t id) {
  GONGDAN_ASSIGN(auto all, policies(who));
  for (auto& row : all)
    if (row.id == id) return row;
  return fail(ErrorCode::kNotFound, "no such SLA policy");
}

Result<store::SlaPolicyRow> SlaService::create_policy(const Principal& who,
                                                      const SlaPolicyInput& in) {
  GONGDAN_TRY(require_admin(who, "change SLA settings"));
  store::SlaPolicyRow row;
  GONGDAN_TRY(validate(row, in, true));
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    if (row.calendar_id) {
      GONGDAN_ASSIGN(auto calendars, store::list_calendars(c));
      if (std::ranges::none_of(calendars, [&](auto& k) { return k.id == *row.calendar_id; }))
        return fail(ErrorCode::kInvalidArgument, "no such calendar", "calendar");
    }
    row.created_at = row.updated_at = clock_.now_ms();
    GONGDAN_ASSIGN(row.id, store::insert_sla_policy(c, row));
    return record_audit(c, row.created_at, actor_id(who), "sla_policy.create",
                        "sla_policy:" + std::to_string(row.id), who.ip);
  }));
  invalidate();
  return row;
}

Result<store::SlaPolicyRow> SlaService::update_policy(const Principal& who, std::int64_t id,
                                                      const SlaPolicyInput& in) {
  GONGDAN_TRY(require_admin(who, "change SLA settings"));
  GONGDAN_ASSIGN(auto row, policy(who, id));
  GONGDAN_TRY(validate(row, in, false));
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    if (row.calendar_id) {
      GONGDAN_ASSIGN(auto calendars, store::list_calendars(c));
      if (std::ranges::none_of(calendars, [&](auto& k) { return k.id == *row.calendar_id; }))
        return fail(ErrorCode::kInvalidArgument, "no such calendar", "calendar");
    }
    row.updated_at = clock_.now_ms();
    GONGDAN_ASSIGN(bool saved, store::update_sla_policy(c, row));
    if (!saved) return fail(ErrorCode::kNotFound, "no such SLA policy");
    return record_audit(c, row.updated_at, actor_id(who), "sla_policy.update",
                        "sla_policy:" + std::to_string(id), who.ip);
  }));
  invalidate();
  return row;
}

Result<void> SlaService::delete_policy(const Principal& who, std::int64_t id) {
  GONGDAN_TRY(require_admin(who, "change SLA settings"));
  // Tickets keep their clock events; a deleted policy stops measuring them.
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(bool removed, store::delete_sla_policy(c, id));
    if (!removed) return fail(ErrorCode::kNotFound, "no such SLA policy");
    return record_audit(c, clock_.now_ms(), actor_id(who), "sla_policy.delete",
                        "sla_policy:" + std::to_string(id), who.ip);
  }));
  invalidate();
  return {};
}

}  // namespace gongdan::services
