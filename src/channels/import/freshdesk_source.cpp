#include "channels/import/freshdesk_source.hpp"

#include "channels/import/api_ticket.hpp"
#include "channels/import/import_text.hpp"
#include "channels/import/json_records.hpp"
#include "util/text.hpp"

namespace gongdan::import {
namespace {

namespace json = boost::json;

// Freshdesk's numbered statuses: 2 open, 3 pending, 4 resolved, 5 closed; the numbers from 6
// on are an account's own statuses, which wait on someone: on hold.
std::optional<StatusCategory> category_of(std::int64_t status) {
  switch (status) {
    case 2:
      return StatusCategory::kOpen;
    case 3:
      return StatusCategory::kPending;
    case 4:
      return StatusCategory::kSolved;
    case 5:
      return StatusCategory::kClosed;
    default:
      return status >= 6 ? std::optional(StatusCategory::kOnHold) : std::nullopt;
  }
}

Priority priority_of(std::int64_t p) {
  switch (p) {
    case 1:
      return Priority::kLow;
    case 3:
      return Priority::kHigh;
    case 4:
      return Priority::kUrgent;
    default:
      return Priority::kNormal;
  }
}

// Sources: 1 email, 2 portal, 3 phone, 7 chat, 9 feedback widget, 10 outbound email.
std::string channel_of(std::int64_t source) {
  switch (source) {
    case 1:
    case 10:
      return "email";
    case 2:
      return "portal";
    case 3:
      return "phone";
    case 7:
      return "chat";
    case 9:
      return "web_form";
    default:
      return "api";
  }
}

std::int64_t int_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v && v->is_int64()) return v->get_int64();
  return 0;  // a number past int64 is no status, priority or source
}

std::vector<ImportAttachment> attachments(const json::object& o) {
  std::vector<ImportAttachment> out;
  if (const auto* files = array_of(o, "attachments"))
    for (const auto& f : *files)
      if (f.is_object())
        out.push_back({text_of(f.as_object(), "name"), text_of(f.as_object(), "content_type"),
                       "attachments/" + text_of(f.as_object(), "id"), ""});
  return out;
}

Result<ImportMessage> conversation(const json::object& c) {
  ImportMessage m;
  m.author_ref = text_of(c, "user_id");
  m.internal = bool_of(c, "private", false);
  m.body = text_of(c, "body_text");
  m.html = text_of(c, "body");
  bool bad = false;
  auto at = time_of(c, "created_at", bad);
  if (bad || !at) return fail(ErrorCode::kInvalidArgument, "a conversation has no created_at time");
  m.created_at = *at;
  m.attachments = attachments(c);
  return m;
}

Result<ImportTicket> ticket(const json::object& o) {
  GONGDAN_ASSIGN(auto t, api_ticket(o));
  auto category = category_of(int_of(o, "status"));
  if (!category)
    return fail(ErrorCode::kInvalidArgument, "unknown status: " + text_of(o, "status"));
  t.category = *category;
  t.priority = priority_of(int_of(o, "priority"));
  t.channel = channel_of(int_of(o, "source"));
  const auto type = text::to_lower_ascii(text_of(o, "type"));
  if (auto parsed = parse_type(type)) t.type = *parsed;
  if (type == "feature request") t.type = TicketType::kTask;
  t.assignee_ref = text_of(o, "responder_id");
  t.organization_ref = text_of(o, "company_id");
  if (const auto* fields = object_of(o, "custom_fields"))
    for (const auto& [key, value] : *fields) {
      auto text = value_text(value);
      if (!text.empty()) t.fields.emplace_back(std::string(key), std::move(text));
    }
  bool bad = false;
  if (const auto* stats = object_of(o, "stats")) {
    t.solved_at = time_of(*stats, "resolved_at", bad);
    if (!t.solved_at) t.solved_at = time_of(*stats, "closed_at", bad);
  }
  if (bad) return fail(ErrorCode::kInvalidArgument, "stats has a value that is not a time");
  if (!is_unsolved(t.category) && !t.solved_at) t.solved_at = t.updated_at;
  ImportMessage first{t.requester_ref,           false,        text_of(o, "description_text"),
                      text_of(o, "description"), t.created_at, attachments(o)};
  if (!first.body.empty() || !first.html.empty()) t.messages.push_back(std::move(first));
  if (const auto* list = array_of(o, "conversations"))
    for (const auto& item : *list) {
      if (!item.is_object())
        return fail(ErrorCode::kInvalidArgument, "a conversation is not an object");
      GONGDAN_ASSIGN(auto m, conversation(item.as_object()));
      t.messages.push_back(std::move(m));
    }
  return t;
}

}  // namespace

void read_freshdesk_companies(std::string_view bytes, std::string_view file, ImportData& out) {
  read_api_organizations(bytes, file, "companies", {"a company", "domains", "note", "description"},
                         out);
}

void read_freshdesk_contacts(std::string_view bytes, std::string_view file, ImportData& out) {
  each_record(bytes, file, "contacts", out, [&](const json::object& o) {
    ImportPerson p{text_of(o, "id"), text::trim(text_of(o, "email")),
                   text::trim(text_of(o, "name")), false, text_of(o, "company_id")};
    return add_api_person(std::move(p), "a contact", "email", out);
  });
}

void read_freshdesk_agents(std::string_view bytes, std::string_view file, ImportData& out) {
  each_record(bytes, file, "agents", out, [&](const json::object& o) {
    const auto* contact = object_of(o, "contact");
    ImportPerson p{text_of(o, "id"), contact ? text::trim(text_of(*contact, "email")) : "",
                   contact ? text::trim(text_of(*contact, "name")) : "", true, ""};
    return add_api_person(std::move(p), "an agent", "contact.email", out);
  });
}

void read_freshdesk_tickets(std::string_view bytes, std::string_view file, ImportData& out) {
  read_ticket_records(bytes, file, "tickets", out, ticket);
}

bool read_freshdesk_conversations(std::string_view bytes, std::string_view file,
                                  ImportTicket& ticket, ImportData& out) {
  auto messages = read_message_records(bytes, file, "conversations", out, conversation);
  if (!messages) return false;
  for (auto& m : *messages) ticket.messages.push_back(std::move(m));
  return true;
}

}  // namespace gongdan::import
