#include "channels/import/rt_source.hpp"

#include <map>
#include <set>

#include "channels/import/import_text.hpp"
#include "channels/import/json_records.hpp"
#include "util/text.hpp"

namespace gongdan::import {
namespace {

namespace json = boost::json;

// RT's default lifecycle; a status of an own lifecycle is refused by name (the ticket is left
// out) rather than guessed.
std::optional<StatusCategory> category_of(std::string_view status) {
  const auto s = text::to_lower_ascii(status);
  if (s == "new") return StatusCategory::kNew;
  if (s == "open") return StatusCategory::kOpen;
  if (s == "stalled") return StatusCategory::kOnHold;
  if (s == "resolved") return StatusCategory::kSolved;
  if (s == "rejected" || s == "deleted") return StatusCategory::kClosed;
  return std::nullopt;
}

// Priorities are numbers (0 when nobody set one) or, with PriorityAsString, names.
Priority priority_of(const json::object& o) {
  const auto text = text::to_lower_ascii(text_of(o, "Priority"));
  if (text == "low") return Priority::kLow;
  if (text == "high") return Priority::kHigh;
  if (text == "urgent" || text == "critical") return Priority::kUrgent;
  std::int64_t n = 0;
  for (const char c : text) {
    if (c < '0' || c > '9' || n > 1000) return Priority::kNormal;
    n = n * 10 + (c - '0');
  }
  if (n >= 1 && n < 40) return Priority::kLow;
  if (n >= 70) return Priority::kHigh;
  return Priority::kNormal;
}

// A user as a ticket or transaction names it: `{"type": "user", "id": "alice"}`, or a bare name.
std::string user_ref(const json::value* v) {
  if (!v) return {};
  if (v->is_object()) return text_of(v->get_object(), "id");
  if (v->is_string()) return std::string(v->get_string());
  return {};
}

std::string first_user(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v && v->is_array()) return v->get_array().empty() ? "" : user_ref(&v->get_array().front());
  return user_ref(v);
}

// RT writes a date it does not have as the epoch.
std::optional<Millis> date_of(const json::object& o, std::string_view key, bool& bad) {
  auto t = time_of(o, key, bad);
  if (t && *t == 0) return std::nullopt;
  return t;
}

void custom_fields(const json::object& o, ImportTicket& t, ImportData& out) {
  const auto* v = o.if_contains("CustomFields");
  if (!v) return;
  auto add = [&](const std::string& id, const std::string& name, const json::value& values) {
    auto text = value_text(values);
    if (id.empty() || text.empty()) return;
    t.fields.emplace_back("rt_" + id, std::move(text));
    if (!name.empty()) out.field_labels.emplace_back("rt_" + id, name);
  };
  if (v->is_array()) {  // RT 5: [{"id": "3", "name": "Severity", "values": ["high"]}]
    for (const auto& f : v->get_array())
      if (f.is_object())
        if (const auto* values = f.get_object().if_contains("values"))
          add(text_of(f.get_object(), "id"), text_of(f.get_object(), "name"), *values);
  } else if (v->is_object()) {  // RT 4's REST2 extension: {"3": ["high"]}
    for (const auto& [id, values] : v->get_object()) add(std::string(id), "", values);
  }
}

Result<ImportTicket> ticket(const json::object& o, ImportData& out) {
  ImportTicket t;
  t.ref = text_of(o, "id");
  if (t.ref.empty() || t.ref.size() > kMaxRefLength)
    return fail(ErrorCode::kInvalidArgument, "no id");
  t.subject = text::trim(text_of(o, "Subject"));
  const auto status = text_of(o, "Status");
  auto category = category_of(status);
  if (!category) return fail(ErrorCode::kInvalidArgument, "unknown status: " + status);
  t.category = *category;
  t.priority = priority_of(o);
  t.requester_ref = first_user(o, "Requestor");
  if (t.requester_ref.empty()) return fail(ErrorCode::kInvalidArgument, "no Requestor");
  t.assignee_ref = user_ref(o.if_contains("Owner"));
  if (t.assignee_ref == "Nobody") t.assignee_ref.clear();
  bool bad = false;
  auto created = date_of(o, "Created", bad);
  auto updated = date_of(o, "LastUpdated", bad);
  if (bad || !created) return fail(ErrorCode::kInvalidArgument, "Created is not a time");
  t.created_at = *created;
  t.updated_at = updated.value_or(*created);
  t.solved_at = date_of(o, "Resolved", bad);
  if (bad) return fail(ErrorCode::kInvalidArgument, "Resolved is not a time");
  if (is_unsolved(t.category)) t.solved_at.reset();
  if (!is_unsolved(t.category) && !t.solved_at) t.solved_at = t.updated_at;
  custom_fields(o, t, out);
  return t;
}

// The parts of one transaction, as its attachments hold them.
Result<void> add_part(const json::object& a, ImportMessage& m) {
  const auto type = text::to_lower_ascii(text_of(a, "ContentType"));
  if (type.starts_with("multipart/")) return {};
  const auto name = text_of(a, "Filename");
  auto bytes = decode_base64(text_of(a, "Content"));
  if (!bytes) return fail(ErrorCode::kInvalidArgument, "Content is not base64");
  if (!name.empty()) {
    ImportAttachment file{name, type, "attachment " + text_of(a, "id"), std::move(*bytes)};
    file.embedded = true;
    m.attachments.push_back(std::move(file));
    return {};
  }
  const bool plain = type.empty() || type.starts_with("text/plain");
  if (!plain && !type.starts_with("text/html")) return {};  // headers only, a forwarded mail
  if (!text::is_valid_utf8(*bytes)) return fail(ErrorCode::kInvalidArgument, "text is not UTF-8");
  auto& into = plain ? m.body : m.html;
  if (into.empty()) into = std::move(*bytes);
  return {};
}

}  // namespace

void read_rt_users(std::string_view bytes, std::string_view file, ImportData& out) {
  auto records = json_records(bytes, file, "items");
  out.problems.insert(out.problems.end(), records.problems.begin(), records.problems.end());
  std::set<std::string> organizations;
  for (const auto& o : out.organizations) organizations.insert(o.ref);
  for (std::size_t i = 0; i < records.records.size(); ++i) {
    const auto& o = records.records[i];
    ImportPerson p{text_of(o, "Name"), text::trim(text_of(o, "EmailAddress")),
                   text::trim(text_of(o, "RealName")), false, ""};
    if (p.ref.empty()) p.ref = text_of(o, "id");
    if (p.ref.empty() || p.ref.size() > kMaxRefLength) {
      out.problems.push_back({records.wheres[i], "a user needs a Name or an id"});
      continue;
    }
    if (p.ref == "Nobody" || p.ref == "RT_System") continue;  // RT's own, no one to import
    if (p.email.empty() && text::looks_like_email(p.ref)) p.email = p.ref;
    if (!p.email.empty() && !text::looks_like_email(p.email)) {
      out.problems.push_back({records.wheres[i], "EmailAddress is not an email address"});
      continue;
    }
    if (p.name.empty()) p.name = p.ref;
    const auto privileged = text_of(o, "Privileged");
    p.agent = privileged == "1" || privileged == "true";
    if (auto org = text::trim(text_of(o, "Organization")); !org.empty()) {
      if (organizations.insert(org).second) out.organizations.push_back({org, org, {}, ""});
      p.organization_ref = std::move(org);
    }
    out.people.push_back(std::move(p));
  }
}

void read_rt_tickets(std::string_view bytes, std::string_view file, ImportData& out) {
  auto records = json_records(bytes, file, "items");
  out.problems.insert(out.problems.end(), records.problems.begin(), records.problems.end());
  std::map<std::string, std::string> organization_of;  // RT keeps it on the user, not the ticket
  for (const auto& p : out.people) organization_of[p.ref] = p.organization_ref;
  for (std::size_t i = 0; i < records.records.size(); ++i) {
    auto t = ticket(records.records[i], out);
    if (!t) {
      out.problems.push_back({records.wheres[i], t.error().message});
      continue;
    }
    t->where = records.wheres[i];
    // RT names a customer who wrote in by their address: someone users.json need not list.
    if (auto known = organization_of.find(t->requester_ref); known != organization_of.end()) {
      t->organization_ref = known->second;
    } else if (text::looks_like_email(t->requester_ref)) {
      organization_of.emplace(t->requester_ref, "");
      out.people.push_back({t->requester_ref, t->requester_ref, t->requester_ref, false, ""});
    }
    out.tickets.push_back(std::move(*t));
  }
}

bool read_rt_history(std::string_view history, std::string_view history_file,
                     std::string_view attachments, std::string_view attachments_file,
                     ImportTicket& ticket, ImportData& out) {
  auto transactions = json_records(history, history_file, "items");
  auto parts = json_records(attachments, attachments_file, "items");
  for (const auto* records : {&transactions, &parts})
    if (!records->problems.empty()) {
      out.problems.push_back(records->problems.front());
      return false;
    }
  std::map<std::string, std::vector<std::size_t>> by_transaction;
  for (std::size_t i = 0; i < parts.records.size(); ++i)
    by_transaction[user_ref(parts.records[i].if_contains("TransactionId"))].push_back(i);
  std::vector<ImportMessage> messages;
  for (std::size_t i = 0; i < transactions.records.size(); ++i) {
    const auto& o = transactions.records[i];
    const auto type = text_of(o, "Type");
    if (type != "Create" && type != "Correspond" && type != "Comment") continue;
    ImportMessage m;
    m.author_ref = user_ref(o.if_contains("Creator"));
    m.internal = type == "Comment";
    bool bad = false;
    auto at = time_of(o, "Created", bad);
    if (bad || !at || m.author_ref.empty()) {
      out.problems.push_back({transactions.wheres[i], "a transaction needs a Creator and Created"});
      return false;
    }
    m.created_at = *at;
    for (const auto part : by_transaction[text_of(o, "id")])
      if (auto added = add_part(parts.records[part], m); !added) {
        out.problems.push_back({parts.wheres[part], added.error().message});
        return false;
      }
    if (m.body.empty() && m.html.empty() && m.attachments.empty()) continue;
    messages.push_back(std::move(m));
  }
  ticket.messages = std::move(messages);
  return true;
}

}  // namespace gongdan::import
