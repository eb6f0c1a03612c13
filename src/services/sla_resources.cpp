#include "services/sla_resources.hpp"

#include "services/resource_load.hpp"
#include "services/sla_service.hpp"
#include "store/assignment_store.hpp"
#include "store/users_store.hpp"

namespace gongdan::services {
namespace {

namespace json = boost::json;

FieldBuilder minutes(std::string_view key, Words label, Words help) {
  return integer_field(key, label, help).nullable().range(1, 525'600);  // a year
}

Bound<SlaPolicy> target(std::optional<std::int64_t> SlaTargets::*member, std::string_view key,
                        Words label) {
  Accessor<SlaPolicy> a;
  a.get = [member](const SlaPolicy& p) { return resource_detail::to_json(p.targets.*member); };
  a.set = [member](SlaPolicy& p, const json::value& v) -> Result<void> {
    resource_detail::from_json(v, p.targets.*member);
    return {};
  };
  return {
      minutes(key, label,
              {"Minutes of business time; empty: not measured.", "工作时间分钟数；留空：不计。"})
          .group("targets"),
      std::move(a)};
}

// The spec is checked as it is set, so a malformed body is refused before anything is read.
Bound<CalendarItem> spec_field() {
  return field_of(
      &CalendarItem::spec,
      json_field("spec", {"Definition", "定义"},
                 {"Time zone, weekly hours, holidays, make-up working days.",
                  "时区、每周工作时间、节假日、调休上班日。"})
          .required()
          .schema(R"({"type": "object", "additionalProperties": false, )"
                  R"("required": ["time_zone", "weekly_hours"], "properties": {)"
                  R"("name": {"type": "string"}, "time_zone": {"type": "string"}, )"
                  R"("weekly_hours": {"type": "object"}, "holidays": {"type": "array"}, )"
                  R"("extra_working_days": {"type": "array"}, )"
                  R"("extra_working_day_hours": {"type": "array"}, )"
                  R"("source": {"type": "string"}, "note": {"type": "string"}}})",
                  R"({"name": "Shanghai office", "time_zone": "Asia/Shanghai", )"
                  R"("weekly_hours": {"mon": ["09:00-18:00"], "tue": ["09:00-18:00"]}, )"
                  R"("holidays": ["2026-01-01"]})"),
      read_calendar_spec);
}

// A calendar still in use is refused with who uses it, rather than by a foreign key.
Result<void> refuse_if_used(store::Connection& c, const CalendarItem& calendar) {
  GONGDAN_ASSIGN(auto policies, load_all(c, sla_policy_resource()));
  for (const auto& p : policies)
    if (p.calendar_id == calendar.id)
      return fail(ErrorCode::kConflict,
                  "the SLA policy '" + p.name + "' uses this calendar; change it first");
  GONGDAN_ASSIGN(auto agents, store::agents_working_by(c, calendar.id));
  if (agents.empty()) return {};
  GONGDAN_ASSIGN(auto agent, store::find_user(c, agents.front()));
  const std::string who = agent ? agent->name : "agent " + std::to_string(agents.front());
  return fail(ErrorCode::kConflict,
              "the working hours of " + who + " use this calendar; change them first");
}

Result<void> check_policy(Directory& directory, const SlaPolicy& p) {
  GONGDAN_ASSIGN(auto conditions, read_sla_conditions(p.conditions));
  if (!conditions.departments.empty()) {
    GONGDAN_ASSIGN(auto catalog, directory.catalog());
    for (auto d : conditions.departments)
      if (!catalog->department(d))
        return fail(ErrorCode::kInvalidArgument, "no such department", "conditions.department");
  }
  const auto& t = p.targets;
  if (!t.first_response_minutes && !t.next_response_minutes && !t.resolution_minutes)
    return fail(ErrorCode::kInvalidArgument, "set at least one target", "targets");
  return {};
}

}  // namespace

const Resource<CalendarItem>& calendar_resource() {
  static const Resource<CalendarItem> r = declare<CalendarItem>(
      resource_info("calendars", "calendar", {"Business calendars", "工作日历"}, "sla")
          .table("business_calendars")
          .invalidates(Invalidates::kSettings)
          .ops({.remove = true, .put = true})
          .body_field("spec"),
      {field_of(&CalendarItem::id, id_field()),
       field_of(&CalendarItem::name, text_field("name", {"Name", "名称"},
                                                {"The definition's name.", "取自定义中的名称。"})
                                         .read_only()
                                         .max(100)),
       spec_field(), field_of(&CalendarItem::created_at, time_field("created_at")),
       field_of(&CalendarItem::updated_at, time_field("updated_at"))});
  return r;
}

const Resource<SlaPolicy>& sla_policy_resource() {
  static const Resource<SlaPolicy> r = declare<SlaPolicy>(
      resource_info("sla-policies", "sla_policy", {"SLA policies", "SLA 策略"}, "sla")
          .table("sla_policies")
          .order_by("position, id")
          .invalidates(Invalidates::kSettings)
          .ops({.remove = true}),
      {field_of(&SlaPolicy::id, id_field()), field_of(&SlaPolicy::name, name_field(100)),
       field_of(&SlaPolicy::position,
                position_field({"Policies are tried in this order.", "按此顺序匹配策略。"})),
       field_of(&SlaPolicy::calendar_id,
                reference_field("calendar", "calendars", {"Business calendar", "工作日历"},
                                {"None: around the clock, UTC.", "不选：全天候（UTC）。"})
                    .column("calendar_id")
                    .nullable()),
       field_of(&SlaPolicy::conditions,
                json_field("conditions", {"Conditions", "条件"},
                           {"Each left out matches every ticket.", "未填写的条件匹配所有工单。"})
                    .schema(R"({"type": "object", "additionalProperties": false, "properties": {)"
                            R"("priority": {"type": "array", "items": {"type": "string"}}, )"
                            R"("type": {"type": "array", "items": {"type": "string"}}, )"
                            R"("department": {"type": "array", "items": {"type": "integer"}}, )"
                            R"("organization_tier": {"type": "array", )"
                            R"("items": {"type": "string"}}}})",
                            R"({"priority": ["urgent", "high"], "type": ["incident"]})")),
       target(&SlaTargets::first_response_minutes, "first_response_minutes",
              {"First response", "首次响应"}),
       target(&SlaTargets::next_response_minutes, "next_response_minutes",
              {"Next response", "后续响应"}),
       target(&SlaTargets::resolution_minutes, "resolution_minutes", {"Resolution", "解决"}),
       field_of(&SlaPolicy::warning_minutes,
                minutes("warning_minutes", {"Warn before", "提前预警"},
                        {"How long before a due time to warn; empty: no warning.",
                         "到期前多久预警；留空：不预警。"})),
       field_of(&SlaPolicy::active, active_field()),
       field_of(&SlaPolicy::created_at, time_field("created_at")),
       field_of(&SlaPolicy::updated_at, time_field("updated_at"))});
  return r;
}

void SlaService::add_to(Resources& resources) {
  resources.add(calendar_resource(), {.check = item_check<CalendarItem>(read_calendar_spec),
                                      .removing = refuse_if_used});
  auto check = [this](SlaPolicy& p) { return check_policy(directory_, p); };
  resources.add(sla_policy_resource(), {.check = item_check<SlaPolicy>(check)});
}

}  // namespace gongdan::services
