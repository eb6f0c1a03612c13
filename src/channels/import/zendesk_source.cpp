#include "channels/import/zendesk_source.hpp"

#include "channels/import/api_ticket.hpp"
#include "channels/import/csv_source.hpp"
#include "channels/import/import_text.hpp"
#include "channels/import/json_records.hpp"
#include "util/text.hpp"

namespace gongdan::import {
namespace {

namespace json = boost::json;

std::string channel_of(const json::object& ticket) {
  const auto* via = object_of(ticket, "via");
  const std::string channel = via ? text_of(*via, "channel") : "";
  if (channel == "email" || channel == "mail") return "email";
  if (channel == "web" || channel == "web_form") return "web_form";
  if (channel == "chat" || channel == "native_messaging") return "chat";
  if (channel == "voice" || channel == "phone") return "phone";
  if (channel == "facebook" || channel == "twitter") return "social";
  return "api";
}

// One comment as a message; an error names what is wrong with it.
Result<ImportMessage> comment(const json::object& c) {
  ImportMessage m;
  m.author_ref = text_of(c, "author_id");
  m.internal = !bool_of(c, "public", true);
  m.body = text_of(c, "plain_body");
  if (m.body.empty()) m.body = text_of(c, "body");
  m.html = text_of(c, "html_body");
  bool bad = false;
  auto at = time_of(c, "created_at", bad);
  if (bad || !at) return fail(ErrorCode::kInvalidArgument, "a comment has no created_at time");
  m.created_at = *at;
  if (const auto* files = array_of(c, "attachments"))
    for (const auto& f : *files) {
      if (!f.is_object()) continue;
      const auto& a = f.as_object();
      const std::string url = text_of(a, "content_url");
      // Downloaded beforehand into attachments/<id> (docs/import.md), or a path already.
      const bool remote = url.starts_with("http://") || url.starts_with("https://");
      m.attachments.push_back({text_of(a, "file_name"), text_of(a, "content_type"),
                               remote || url.empty() ? "attachments/" + text_of(a, "id") : url,
                               ""});
    }
  return m;
}

Result<std::vector<ImportMessage>> comments(const json::array& items) {
  std::vector<ImportMessage> out;
  for (const auto& item : items) {
    if (!item.is_object()) return fail(ErrorCode::kInvalidArgument, "a comment is not an object");
    GONGDAN_ASSIGN(auto m, comment(item.as_object()));
    out.push_back(std::move(m));
  }
  return out;
}

Result<ImportTicket> ticket(const json::object& o) {
  GONGDAN_ASSIGN(auto t, api_ticket(o));
  if (t.subject.empty()) t.subject = text::trim(text_of(o, "raw_subject"));
  const std::string status = text_of(o, "status");
  auto category = category_from_name(status);
  if (!category) return fail(ErrorCode::kInvalidArgument, "unknown status: " + status);
  t.category = *category;
  if (auto p = parse_priority(text_of(o, "priority"))) t.priority = *p;
  if (auto ty = parse_type(text_of(o, "type"))) t.type = *ty;
  t.channel = channel_of(o);
  t.assignee_ref = text_of(o, "assignee_id");
  t.organization_ref = text_of(o, "organization_id");
  if (const auto* fields = array_of(o, "custom_fields"))
    for (const auto& f : *fields) {
      if (!f.is_object()) continue;
      const auto* value = f.as_object().if_contains("value");
      auto text = value ? value_text(*value) : "";
      if (!text.empty()) t.fields.emplace_back(text_of(f.as_object(), "id"), std::move(text));
    }
  bool bad = false;
  if (const auto* metrics = object_of(o, "metric_set"))
    t.solved_at = time_of(*metrics, "solved_at", bad);
  if (bad) return fail(ErrorCode::kInvalidArgument, "metric_set.solved_at is not a time");
  if (!is_unsolved(t.category) && !t.solved_at) t.solved_at = t.updated_at;
  if (const auto* list = array_of(o, "comments")) {
    GONGDAN_ASSIGN(t.messages, comments(*list));
  } else if (auto description = text_of(o, "description"); !description.empty()) {
    t.messages.push_back({t.requester_ref, false, description, "", t.created_at, {}});
  }
  return t;
}

}  // namespace

void read_zendesk_organizations(std::string_view bytes, std::string_view file, ImportData& out) {
  read_api_organizations(bytes, file, "organizations",
                         {"an organization", "domain_names", "notes", "details"}, out);
}

void read_zendesk_users(std::string_view bytes, std::string_view file, ImportData& out) {
  each_record(bytes, file, "users", out, [&](const json::object& o) {
    const std::string role = text_of(o, "role");
    ImportPerson p{text_of(o, "id"), text::trim(text_of(o, "email")),
                   text::trim(text_of(o, "name")), role == "agent" || role == "admin",
                   text_of(o, "organization_id")};
    return add_api_person(std::move(p), "a user", "email", out);
  });
}

void read_zendesk_ticket_fields(std::string_view bytes, std::string_view file, ImportData& out) {
  each_record(bytes, file, "ticket_fields", out, [&](const json::object& o) -> std::string {
    auto id = text_of(o, "id"), title = text_of(o, "title");
    if (!id.empty() && !title.empty()) out.field_labels.emplace_back(id, title);
    return {};
  });
}

void read_zendesk_tickets(std::string_view bytes, std::string_view file, ImportData& out) {
  read_ticket_records(bytes, file, "tickets", out, ticket);
}

bool read_zendesk_comments(std::string_view bytes, std::string_view file, ImportTicket& ticket,
                           ImportData& out) {
  auto messages = read_message_records(bytes, file, "comments", out, comment);
  if (!messages) return false;
  ticket.messages = std::move(*messages);
  return true;
}

}  // namespace gongdan::import
