#include "channels/import/csv_source.hpp"

#include <map>
#include <unordered_map>
#include <unordered_set>

#include "channels/import/csv_reader.hpp"
#include "channels/import/import_text.hpp"
#include "util/text.hpp"

namespace gongdan::import {
namespace {

// The columns by name; a missing column reads as empty.
struct Columns {
  std::map<std::string, std::size_t, std::less<>> at;
  std::vector<std::pair<std::string, std::size_t>> fields;  // "field:<name>" columns

  std::string_view get(const CsvRow& row, std::string_view name) const {
    auto it = at.find(name);
    if (it == at.end() || it->second >= row.fields.size()) return {};
    return row.fields[it->second];
  }
};

// The byte offset of the first line that is not UTF-8, for the message.
std::size_t first_bad_line(std::string_view bytes) {
  std::size_t line = 1, at = 0;
  while (at < bytes.size()) {
    auto end = bytes.find('\n', at);
    if (end == std::string_view::npos) end = bytes.size();
    if (!text::is_valid_utf8(bytes.substr(at, end - at))) return line;
    ++line;
    at = end + 1;
  }
  return line;
}

std::vector<std::string> split_list(std::string_view s, std::string_view separators) {
  std::vector<std::string> out;
  std::string item;
  for (char ch : s) {
    if (separators.find(ch) != std::string_view::npos) {
      if (auto t = text::trim(item); !t.empty()) out.push_back(t);
      item.clear();
    } else {
      item.push_back(ch);
    }
  }
  if (auto t = text::trim(item); !t.empty()) out.push_back(t);
  return out;
}

struct TicketReader {
  const Columns& cols;
  std::string_view file;
  ImportData& out;
  std::unordered_map<std::string, std::size_t> people;  // email → index in out.people

  void person(std::string_view email, std::string_view name, bool agent,
              std::string_view organization = {}) {
    const std::string key = text::normalize_email(email);
    if (key.empty()) return;
    auto [it, added] = people.try_emplace(key, out.people.size());
    if (added) {
      out.people.push_back({key, std::string(text::trim(email)), text::trim(name), agent,
                            std::string(organization)});
      return;
    }
    auto& p = out.people[it->second];
    if (p.name.empty()) p.name = text::trim(name);
    p.agent = p.agent || agent;
  }

  // The ticket's columns from its first row; an error names the column.
  Result<ImportTicket> ticket(const CsvRow& row, std::string id) {
    ImportTicket t;
    t.ref = std::move(id);
    t.subject = text::trim(cols.get(row, "subject"));
    auto status = text::to_lower_ascii(text::trim(cols.get(row, "status")));
    if (status.empty()) status = "open";
    auto category = category_from_name(status);
    if (!category) return fail(ErrorCode::kInvalidArgument, "unknown status: " + status, "status");
    t.category = *category;
    if (auto p = text::to_lower_ascii(text::trim(cols.get(row, "priority"))); !p.empty()) {
      auto priority = parse_priority(p);
      if (!priority) return fail(ErrorCode::kInvalidArgument, "unknown priority: " + p, "priority");
      t.priority = *priority;
    }
    if (auto ty = text::to_lower_ascii(text::trim(cols.get(row, "type"))); !ty.empty()) {
      auto type = parse_type(ty);
      if (!type) return fail(ErrorCode::kInvalidArgument, "unknown type: " + ty, "type");
      t.type = *type;
    }
    if (auto ch = text::to_lower_ascii(text::trim(cols.get(row, "channel"))); !ch.empty()) {
      if (!is_known_channel(ch))
        return fail(ErrorCode::kInvalidArgument, "unknown channel: " + ch, "channel");
      t.channel = ch;
    }
    const auto requester = cols.get(row, "requester_email");
    if (!text::looks_like_email(text::trim(requester)))
      return fail(ErrorCode::kInvalidArgument, "requester_email is not an email address",
                  "requester_email");
    t.organization_ref = text::trim(cols.get(row, "organization"));
    person(requester, cols.get(row, "requester_name"), false, t.organization_ref);
    t.requester_ref = text::normalize_email(requester);
    if (auto assignee = text::trim(cols.get(row, "assignee_email")); !assignee.empty()) {
      if (!text::looks_like_email(assignee))
        return fail(ErrorCode::kInvalidArgument, "assignee_email is not an email address",
                    "assignee_email");
      person(assignee, cols.get(row, "assignee_name"), true);
      t.assignee_ref = text::normalize_email(assignee);
    }
    t.tags = split_list(cols.get(row, "tags"), " ,");
    for (const auto& [name, index] : cols.fields)
      if (index < row.fields.size() && !row.fields[index].empty())
        t.fields.emplace_back(name, row.fields[index]);
    GONGDAN_ASSIGN(t.created_at, time(row, "created_at", true));
    GONGDAN_ASSIGN(auto updated, time(row, "updated_at", false));
    t.updated_at = updated ? updated : t.created_at;
    GONGDAN_ASSIGN(auto solved, time(row, "solved_at", false));
    if (solved) t.solved_at = solved;
    return t;
  }

  // 0 for an empty optional column.
  Result<Millis> time(const CsvRow& row, std::string_view column, bool required) {
    const auto value = text::trim(cols.get(row, column));
    if (value.empty()) {
      if (required)
        return fail(ErrorCode::kInvalidArgument, std::string(column) + " is missing",
                    std::string(column));
      return Millis{0};
    }
    auto t = parse_time(value);
    if (!t)
      return fail(ErrorCode::kInvalidArgument,
                  std::string(column) + " is not a time (2024-03-01T08:30:00Z): " + value,
                  std::string(column));
    return *t;
  }

  // The message of a row; none when its body and html are both empty.
  Result<void> message(const CsvRow& row, ImportTicket& t) {
    const auto body = cols.get(row, "body");
    const auto html = cols.get(row, "html");
    if (body.empty() && html.empty()) return {};
    ImportMessage m;
    m.body = std::string(body);
    m.html = std::string(html);
    auto author = text::trim(cols.get(row, "author_email"));
    if (author.empty()) author = t.requester_ref;
    if (!text::looks_like_email(author))
      return fail(ErrorCode::kInvalidArgument, "author_email is not an email address",
                  "author_email");
    const auto role = text::to_lower_ascii(text::trim(cols.get(row, "author_role")));
    if (!role.empty() && role != "agent" && role != "customer")
      return fail(ErrorCode::kInvalidArgument, "author_role is agent or customer: " + role,
                  "author_role");
    person(author, cols.get(row, "author_name"), role == "agent");
    m.author_ref = text::normalize_email(author);
    const auto internal = text::to_lower_ascii(text::trim(cols.get(row, "internal")));
    m.internal = internal == "true" || internal == "1" || internal == "yes";
    GONGDAN_ASSIGN(m.created_at, time(row, "message_created_at", false));
    if (!m.created_at) m.created_at = t.created_at;
    for (auto& path : split_list(cols.get(row, "attachments"), ";"))
      m.attachments.push_back({path.substr(path.find_last_of('/') + 1), "", path, ""});
    t.messages.push_back(std::move(m));
    return {};
  }
};

}  // namespace

std::optional<StatusCategory> category_from_name(std::string_view name) {
  if (name == "hold" || name == "on-hold" || name == "on hold") return StatusCategory::kOnHold;
  if (name == "resolved") return StatusCategory::kSolved;
  return parse_category(name);
}

ImportData read_csv_export(std::string_view bytes, std::string_view file) {
  ImportData out;
  auto problem = [&](std::string where, std::string what) {
    out.problems.push_back({std::move(where), std::move(what)});
  };
  if (!text::is_valid_utf8(bytes)) {
    problem(std::string(file) + " line " + std::to_string(first_bad_line(bytes)),
            "not UTF-8 text (a GBK or GB18030 file? convert it first: "
            "iconv -f GB18030 -t UTF-8)");
    return out;
  }
  auto rows = read_csv(bytes);
  if (!rows) {
    problem(std::string(file), "not CSV: " + rows.error().message);
    return out;
  }
  if (rows->empty()) return out;
  Columns cols;
  const auto& header = rows->front().fields;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const auto name = text::to_lower_ascii(text::trim(header[i]));
    if (name.starts_with("field:"))
      cols.fields.emplace_back(text::trim(header[i]).substr(6), i);
    else
      cols.at.emplace(name, i);
  }
  for (const char* required : {"ticket", "subject", "requester_email", "created_at"})
    if (!cols.at.contains(required)) {
      problem(std::string(file) + " line 1", std::string("no \"") + required + "\" column");
      return out;
    }
  TicketReader reader{cols, file, out, {}};
  std::unordered_map<std::string, std::size_t> tickets;  // ticket id → index in out.tickets
  std::unordered_map<std::string, std::string> broken;   // ticket id → where it first failed
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const auto& row = (*rows)[r];
    const std::string id = text::trim(cols.get(row, "ticket"));
    const std::string where = std::string(file) + " line " + std::to_string(row.line) +
                              (id.empty() ? "" : " (ticket " + id.substr(0, 64) + ")");
    if (row.fields.size() != header.size()) {
      problem(where, "has " + std::to_string(row.fields.size()) + " fields, the header " +
                         std::to_string(header.size()));
      if (!id.empty()) broken.emplace(id, where);
      continue;
    }
    if (id.empty() || id.size() > kMaxRefLength) {
      problem(where, "the ticket column is empty or too long");
      continue;
    }
    if (broken.contains(id)) continue;
    auto [it, added] = tickets.try_emplace(id, out.tickets.size());
    if (added) {
      auto t = reader.ticket(row, id);
      if (!t) {
        problem(where, t.error().message);
        broken.emplace(id, where);
        tickets.erase(it);
        continue;
      }
      t->where = where;
      out.tickets.push_back(std::move(*t));
    }
    if (auto m = reader.message(row, out.tickets[it->second]); !m) {
      problem(where, m.error().message);
      broken.emplace(id, where);
    }
  }
  // A ticket with a bad row is left out whole.
  std::erase_if(out.tickets, [&](const ImportTicket& t) { return broken.contains(t.ref); });
  // Nor is anyone only it named.
  std::unordered_set<std::string> named;
  for (const auto& t : out.tickets) {
    named.insert(t.requester_ref);
    named.insert(t.assignee_ref);
    for (const auto& m : t.messages) named.insert(m.author_ref);
  }
  std::erase_if(out.people, [&](const ImportPerson& p) { return !named.contains(p.ref); });
  std::unordered_set<std::string> organizations;
  for (const auto& p : out.people)
    if (!p.organization_ref.empty() && organizations.insert(p.organization_ref).second)
      out.organizations.push_back({p.organization_ref, p.organization_ref, {}, ""});
  for (const auto& [name, index] : cols.fields) out.field_labels.emplace_back(name, name);
  return out;
}

}  // namespace gongdan::import
