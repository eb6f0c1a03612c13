#include "api/ticket_json.hpp"

#include <charconv>
#include <chrono>

#include "api/router.hpp"
#include "util/clock.hpp"

namespace gongdan::api {
namespace {

bool parse_int(std::string_view s, int& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

std::string ticket_etag(const Ticket& t) { return "\"v" + std::to_string(t.version) + "\""; }

json::value person_json(const std::optional<std::int64_t>& id, const People& people) {
  if (!id) return nullptr;
  auto it = people.find(*id);
  if (it == people.end()) return json::object{{"id", *id}};
  const auto& u = it->second;
  json::object o{{"id", u.id}, {"name", u.name}, {"role", role_name(u.role)}};
  if (!u.email.empty()) o["email"] = u.email;
  return o;
}

People seen_by(const services::Principal& who, People people) {
  if (who.is_agent()) return people;
  for (auto& [id, person] : people)
    if (id != who.user.id) person.email.clear();
  return people;
}

json::object ticket_json_for(const services::Principal& who, const Ticket& t,
                             const services::Catalog& catalog, const People& people, Millis now) {
  if (who.is_agent()) return ticket_json(t, catalog, people, now);
  auto o = ticket_json(t, catalog, seen_by(who, people), now);
  o.erase("tags");
  return o;
}

json::object ticket_json(const Ticket& t, const services::Catalog& catalog, const People& people,
                         Millis now) {
  json::object status{{"id", t.status_id}, {"category", category_name(t.category)}};
  if (const auto* s = catalog.status(t.status_id)) {
    status["name"] = s->name;
    status["name_zh"] = s->name_zh;
  }
  json::value department = nullptr;
  if (t.department_id) {
    json::object d{{"id", *t.department_id}};
    if (const auto* dept = catalog.department(*t.department_id)) d["name"] = dept->name;
    department = std::move(d);
  }
  json::array tags;
  for (const auto& tag : t.tags) tags.emplace_back(tag);
  boost::system::error_code ec;
  json::value fields = json::parse(t.custom_fields, ec);
  if (ec) fields = json::object{};
  return json::object{
      {"number", t.number},
      {"subject", t.subject},
      {"status", std::move(status)},
      {"priority", priority_name(t.priority)},
      {"type", type_name(t.type)},
      {"department", std::move(department)},
      {"assignee", person_json(t.assignee_id, people)},
      {"requester", person_json(t.requester_id, people)},
      {"organization", t.organization_id ? json::value(json::object{{"id", *t.organization_id}})
                                         : json::value(nullptr)},
      {"channel", t.channel},
      {"language", t.language.empty() ? json::value(nullptr) : json::value(t.language)},
      {"tags", std::move(tags)},
      {"custom_fields", std::move(fields)},
      {"merged_into", or_null(t.merged_into)},
      {"version", t.version},
      {"created_at", iso_time(t.created_at)},
      {"updated_at", iso_time(t.updated_at)},
      {"first_response_at", iso_time_or_null(t.first_response_at)},
      {"solved_at", iso_time_or_null(t.solved_at)},
      {"sla", sla_json(t, now)}};
}

json::object sla_json(const Ticket& t, Millis now) {
  // Remaining: seconds until the due time (negative when overdue). A paused clock has no due
  // time: it moves with the pause.
  auto remaining = [now](const std::optional<Millis>& due) -> json::value {
    if (!due) return nullptr;
    return (*due - now) / 1000;
  };
  const bool paused = t.sla_policy_id && (t.category == StatusCategory::kPending ||
                                          t.category == StatusCategory::kOnHold);
  return json::object{{"policy", or_null(t.sla_policy_id)},
                      {"paused", paused},
                      {"first_response_due_at", iso_time_or_null(t.first_response_due_at)},
                      {"next_response_due_at", iso_time_or_null(t.next_response_due_at)},
                      {"resolution_due_at", iso_time_or_null(t.resolution_due_at)},
                      {"first_response_remaining_seconds", remaining(t.first_response_due_at)},
                      {"next_response_remaining_seconds", remaining(t.next_response_due_at)},
                      {"resolution_remaining_seconds", remaining(t.resolution_due_at)}};
}

using namespace shape;

const AnswerShape<Attachment> kAttachmentShape{
    integer("id", &Attachment::id), text("filename", &Attachment::filename),
    integer("size", &Attachment::size), text("content_type", &Attachment::content_type),
    computed<Attachment>(
        "url", [](const Attachment& a) { return "/api/v1/attachments/" + std::to_string(a.id); },
        schema::string())};

json::object message_json(const Message& m, std::int64_t ticket_number, const People& people) {
  return json::object{{"id", m.id},
                      {"ticket", ticket_number},
                      {"author", person_json(m.author_id, people)},
                      {"internal", m.internal},
                      {"body", m.body},
                      {"html", m.html},
                      {"channel", m.channel},
                      {"created_at", iso_time(m.created_at)},
                      {"attachments", json::array{}}};
}

json::object event_json(const TicketEvent& e, const People& people) {
  auto opt = [](const std::optional<std::string>& v) {
    return v ? json::value(json::string(*v)) : json::value(nullptr);
  };
  return json::object{{"id", e.id},
                      {"at", iso_time(e.at)},
                      {"actor", person_json(e.actor_id, people)},
                      {"via", e.via},
                      {"field", e.field},
                      {"old", opt(e.old_value)},
                      {"new", opt(e.new_value)}};
}

Result<Millis> parse_iso_time(std::string_view s, std::string_view field) {
  auto bad = [&] {
    return fail(ErrorCode::kInvalidArgument, "use a date like 2026-01-31 or 2026-01-31T08:00:00Z",
                std::string(field));
  };
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return bad();
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!parse_int(s.substr(0, 4), y) || !parse_int(s.substr(5, 2), mo) ||
      !parse_int(s.substr(8, 2), d))
    return bad();
  if (s.size() > 10) {
    if (s.size() < 20 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' ||
        s.back() != 'Z' || !parse_int(s.substr(11, 2), h) || !parse_int(s.substr(14, 2), mi) ||
        !parse_int(s.substr(17, 2), sec))
      return bad();
  }
  using namespace std::chrono;
  year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return bad();
  auto tp = sys_days(ymd) + hours(h) + minutes(mi) + seconds(sec);
  return duration_cast<milliseconds>(tp.time_since_epoch()).count();
}

std::string encode_ticket_cursor(std::int64_t key, std::int64_t id) {
  return std::to_string(key) + "." + std::to_string(id);
}

Result<std::pair<std::int64_t, std::int64_t>> decode_ticket_cursor(std::string_view cursor) {
  auto dot = cursor.find('.');
  std::int64_t key = 0, id = 0;
  auto bad = [] { return fail(ErrorCode::kInvalidArgument, "the cursor is not valid", "cursor"); };
  if (dot == std::string_view::npos) return bad();
  auto a = cursor.substr(0, dot), b = cursor.substr(dot + 1);
  auto [pa, ea] = std::from_chars(a.data(), a.data() + a.size(), key);
  auto [pb, eb] = std::from_chars(b.data(), b.data() + b.size(), id);
  if (ea != std::errc() || eb != std::errc() || pa != a.data() + a.size() ||
      pb != b.data() + b.size())
    return bad();
  return std::pair{key, id};
}

namespace {

using namespace schema;

Schema tags_schema() { return array_of(string()); }

Schema ticket_schema() {
  return object({{"number", integer().describe("The visible number (#12), used in every URL.")},
                 {"subject", string()},
                 {"status", object({{"id", integer()},
                                    {"category", ref("StatusCategory")},
                                    {"name", string()},
                                    {"name_zh", string()}})
                                .require({"id", "category"})},
                 {"priority", ref("Priority")},
                 {"type", ref("TicketType")},
                 {"department",
                  nullable(object({{"id", integer()}, {"name", string()}}).require({"id"}))},
                 {"assignee", nullable(ref("Person"))},
                 {"requester", nullable(ref("Person"))},
                 {"organization", nullable(object({{"id", integer()}}).require_all())},
                 {"channel", string().describe("api, web, portal, email, …")},
                 {"language", nullable(string()).describe(
                                  "What the requester wrote in, detected (zh-CN, en, ja, …); "
                                  "null while unknown.")},
                 {"tags", array_of(string())},
                 {"custom_fields", map_of(any())},
                 {"merged_into", nullable(integer())},
                 {"version", integer().describe("Goes up with every change; the ETag is "
                                                "`\"v<version>\"`.")},
                 {"created_at", date_time()},
                 {"updated_at", date_time()},
                 {"first_response_at", nullable(date_time())},
                 {"solved_at", nullable(date_time())},
                 {"sla", ref("TicketSla")}})
      .require_all()
      .without({"tags"})
      .extend({{"tags", array_of(string()).describe(
                            "Left out for customers: tags are the agents' triage labels.")},
               {"imported_from",
                object({{"source", string().describe("The import's name: zendesk, csv, …")},
                        {"id", string().describe("The ticket's id there.")}})
                    .require_all()
                    .describe("Where an imported ticket came from (`gongdan import`); "
                              "in a single ticket's answer to agents only.")}});
}

Schema message_schema() {
  return object({{"id", integer()},
                 {"ticket", integer().describe("The ticket's number.")},
                 {"author", nullable(ref("Person"))},
                 {"internal", boolean().describe("An internal note (agents only).")},
                 {"body", string()},
                 {"html", string().describe("Sanitised HTML, or empty.")},
                 {"channel", string()},
                 {"created_at", date_time()},
                 {"attachments", array_of(ref("Attachment"))},
                 {"delivery", nullable(object({{"status", enum_of({"queued", "sent", "failed"})},
                                               {"to", string()},
                                               {"cc", array_of(string())},
                                               {"attempts", integer()},
                                               {"last_error", string()},
                                               {"message_id", string()},
                                               {"sent_at", nullable(date_time())}})
                                           .require_all())
                                  .describe("How a reply that went out by mail stands.")},
                 {"mail_flags", array_of(string()).describe("What the mail channel noticed about a "
                                                            "message that came by mail.")}})
      .require_all();
}

}  // namespace

schema::Schema ticket_changes_schema() {
  auto id = integer().minimum(1);
  return object({{"subject", string().max_length(2000)},
                 {"status", nullable(id).describe("A status id (null: unchanged).")},
                 {"priority", ref("Priority")},
                 {"type", ref("TicketType")},
                 {"department", nullable(id).describe("null: no department.")},
                 {"assignee", nullable(id).describe("An agent's id; null: nobody.")},
                 {"organization", nullable(id)},
                 {"tags", tags_schema().describe("Replaces every tag.")},
                 {"add_tags", tags_schema()},
                 {"remove_tags", tags_schema()},
                 {"custom_fields", map_of(any()).describe("Merged into the ticket's; a null "
                                                          "value removes the key.")},
                 {"add_followers", array_of(id).max_items(100)},
                 {"remove_followers",
                  array_of(id).max_items(100).describe("Users who stop following; one who "
                                                       "did not follow is left alone.")}});
}

void define_ticket_schemas(Router& router) {
  router.define_schema("TicketType", enum_of({"question", "incident", "problem", "task"}));
  router.define_schema(
      "Person",
      object({{"id", integer()}, {"name", string()}, {"email", string()}, {"role", ref("Role")}})
          .require({"id"})
          .describe("Someone a ticket or message names (only the id when the "
                    "account is gone)."));
  router.define_schema(
      "TicketSla",
      object({{"policy", nullable(integer())},
              {"paused", boolean()},
              {"first_response_due_at", nullable(date_time())},
              {"next_response_due_at", nullable(date_time())},
              {"resolution_due_at", nullable(date_time())},
              {"first_response_remaining_seconds", nullable(integer())},
              {"next_response_remaining_seconds", nullable(integer())},
              {"resolution_remaining_seconds", nullable(integer())}})
          .require_all()
          .describe("The ticket's SLA: due times are null while paused; remaining seconds are "
                    "negative when overdue."));
  router.define_schema("Ticket", ticket_schema());
  router.define_schema("Attachment", kAttachmentShape.schema());
  router.define_schema("Message", message_schema());
  router.define_schema(
      "TicketEvent",
      object({{"id", integer()},
              {"at", date_time()},
              {"actor", nullable(ref("Person"))},
              {"via", string().describe("api, web, email, rule, sla, assignment, merge, …")},
              {"field", string()},
              {"old", nullable(string())},
              {"new", nullable(string())}})
          .require_all()
          .describe("One recorded change of a ticket."));
}

}  // namespace gongdan::api
