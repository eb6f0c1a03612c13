#include "channels/import/osticket_source.hpp"

#include <algorithm>
#include <unordered_map>

#include "channels/import/import_text.hpp"
#include "channels/import/sql_dump.hpp"
#include "util/text.hpp"

namespace gongdan::import {
namespace {

constexpr std::string_view kTables[] = {
    "ticket",     "ticket__cdata", "ticket_status", "ticket_priority", "thread",     "thread_entry",
    "user",       "user_email",    "staff",         "organization",    "department", "help_topic",
    "attachment", "file",          "file_chunk"};

// One table of the dump by its name without the prefix; empty when the dump lacks it.
class Tables {
 public:
  explicit Tables(SqlDump& dump) : dump_(dump) {
    // The prefix is whatever stands before the table only osTicket has (TABLE_PREFIX).
    for (const auto& [name, table] : dump_.tables)
      if (name.ends_with("ticket__cdata")) prefix_ = name.substr(0, name.size() - 13);
  }
  const SqlTable& operator[](std::string_view name) const {
    auto it = dump_.tables.find(prefix_ + std::string(name));
    return it == dump_.tables.end() ? empty_ : it->second;
  }
  std::string name(std::string_view table) const { return prefix_ + std::string(table); }

 private:
  SqlDump& dump_;
  std::string prefix_ = "ost_";
  SqlTable empty_;
};

// A cell as text: "" for NULL or a column the table does not have.
std::string cell(const SqlTable& t, std::size_t row, std::string_view column) {
  auto at = t.column(column);
  if (!at || !t.rows[row][*at]) return {};
  return *t.rows[row][*at];
}

// osTicket writes a date it does not have as NULL or the zero date.
std::optional<Millis> date(const SqlTable& t, std::size_t row, std::string_view column) {
  auto text = cell(t, row, column);
  if (text.empty() || text.starts_with("0000-00-00")) return std::nullopt;
  return parse_time(text);
}

std::unordered_map<std::string, std::size_t> index_by(const SqlTable& t, std::string_view column) {
  std::unordered_map<std::string, std::size_t> out;
  for (std::size_t i = 0; i < t.rows.size(); ++i) out.emplace(cell(t, i, column), i);
  return out;
}

std::unordered_map<std::string, std::vector<std::size_t>> group_by(const SqlTable& t,
                                                                   std::string_view column) {
  std::unordered_map<std::string, std::vector<std::size_t>> out;
  for (std::size_t i = 0; i < t.rows.size(); ++i) out[cell(t, i, column)].push_back(i);
  return out;
}

std::int64_t number(const std::string& text) {
  std::int64_t n = 0;
  for (const char c : text) {
    if (c < '0' || c > '9' || n > (std::int64_t{1} << 50)) return n;
    n = n * 10 + (c - '0');
  }
  return n;
}

// The default statuses are Open (open), Resolved and Closed (closed), Archived and Deleted; an
// own status counts by its state, and a closed one named like "resolved" as solved.
std::optional<StatusCategory> category_of(const std::string& name, const std::string& state) {
  if (state == "open") return StatusCategory::kOpen;
  if (state == "closed")
    return text::to_lower_ascii(name).find("resolv") != std::string::npos ? StatusCategory::kSolved
                                                                          : StatusCategory::kClosed;
  if (state == "archived" || state == "deleted") return StatusCategory::kClosed;
  return std::nullopt;
}

Priority priority_of(const std::string& name) {
  const auto p = text::to_lower_ascii(name);
  if (p == "low") return Priority::kLow;
  if (p == "high") return Priority::kHigh;
  if (p == "emergency" || p == "urgent") return Priority::kUrgent;
  return Priority::kNormal;
}

std::string channel_of(const std::string& source) {
  const auto s = text::to_lower_ascii(source);
  if (s == "web") return "portal";
  if (s == "email" || s == "phone") return s;
  return "api";
}

class Reader {
 public:
  Reader(SqlDump& dump, std::string_view file, ImportData& out)
      : t_(dump), file_(file), out_(out) {}

  void read() {
    organizations();
    people();
    const auto& tickets = t_["ticket"];
    if (tickets.columns.empty()) {
      out_.problems.push_back({std::string(file_), "no " + t_.name("ticket") + " table"});
      return;
    }
    index();
    for (std::size_t i = 0; i < tickets.rows.size(); ++i) {
      const auto id = cell(tickets, i, "ticket_id");
      const auto where = std::string(file_) + " line " + std::to_string(tickets.lines[i]) + " (" +
                         t_.name("ticket") + " " + id + ")";
      auto t = ticket(i);
      if (!t) {
        out_.problems.push_back({where, t.error().message});
        continue;
      }
      t->where = where;
      out_.tickets.push_back(std::move(*t));
    }
    if (!t_["department"].rows.empty()) out_.field_labels.emplace_back(kDepartment, "Department");
    if (!t_["help_topic"].rows.empty()) out_.field_labels.emplace_back(kTopic, "Help topic");
  }

 private:
  static constexpr const char* kDepartment = "osticket_department";
  static constexpr const char* kTopic = "osticket_help_topic";

  void organizations() {
    const auto& orgs = t_["organization"];
    for (std::size_t i = 0; i < orgs.rows.size(); ++i) {
      ImportOrganization org{cell(orgs, i, "id"), text::trim(cell(orgs, i, "name")), {}, ""};
      if (org.ref.empty() || org.name.empty() || !text::is_valid_utf8(org.name)) continue;
      const auto domains = cell(orgs, i, "domain");
      for (const auto domain : text::split(domains, ','))
        if (auto d = text::trim(domain); !d.empty()) org.domains.push_back(std::move(d));
      out_.organizations.push_back(std::move(org));
    }
  }

  void people() {
    const auto& emails = t_["user_email"];
    const auto email_by_id = index_by(emails, "id");
    const auto emails_by_user = group_by(emails, "user_id");
    const auto& users = t_["user"];
    for (std::size_t i = 0; i < users.rows.size(); ++i) {
      const auto id = cell(users, i, "id");
      std::string email;
      if (auto it = email_by_id.find(cell(users, i, "default_email_id")); it != email_by_id.end())
        email = cell(emails, it->second, "address");
      else if (auto all = emails_by_user.find(id); all != emails_by_user.end())
        email = cell(emails, all->second.front(), "address");
      add_person("user-" + id, text::trim(email), text::trim(cell(users, i, "name")), false,
                 cell(users, i, "org_id"), users.lines[i]);
      org_of_user_["user-" + id] = cell(users, i, "org_id");
    }
    const auto& staff = t_["staff"];
    for (std::size_t i = 0; i < staff.rows.size(); ++i) {
      auto name = text::trim(cell(staff, i, "firstname") + " " + cell(staff, i, "lastname"));
      if (name.empty()) name = cell(staff, i, "username");
      add_person("staff-" + cell(staff, i, "staff_id"), text::trim(cell(staff, i, "email")),
                 std::move(name), true, "", staff.lines[i]);
    }
  }

  void add_person(std::string ref, std::string email, std::string name, bool agent, std::string org,
                  std::size_t line) {
    const auto where = std::string(file_) + " line " + std::to_string(line) + " (" + ref + ")";
    if (!email.empty() && !text::looks_like_email(email))
      return out_.problems.push_back({where, "the email address is not one"});
    if (!text::is_valid_utf8(name)) return out_.problems.push_back({where, "a name not UTF-8"});
    if (org == "0") org.clear();
    out_.people.push_back({std::move(ref), std::move(email), std::move(name), agent, org});
  }

  void index() {
    cdata_ = index_by(t_["ticket__cdata"], "ticket_id");
    statuses_ = index_by(t_["ticket_status"], "id");
    priorities_ = index_by(t_["ticket_priority"], "priority_id");
    departments_ = index_by(t_["department"], "id");
    topics_ = index_by(t_["help_topic"], "topic_id");
    const auto& threads = t_["thread"];
    for (std::size_t i = 0; i < threads.rows.size(); ++i)
      if (cell(threads, i, "object_type") == "T")
        thread_of_ticket_[cell(threads, i, "object_id")] = cell(threads, i, "id");
    entries_ = group_by(t_["thread_entry"], "thread_id");
    const auto& entries = t_["thread_entry"];
    for (auto& [thread, rows] : entries_)
      std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
        return number(cell(entries, a, "id")) < number(cell(entries, b, "id"));
      });
    const auto& attachments = t_["attachment"];
    for (std::size_t i = 0; i < attachments.rows.size(); ++i)
      if (cell(attachments, i, "type") == "H")
        attachments_[cell(attachments, i, "object_id")].push_back(i);
    files_ = index_by(t_["file"], "id");
    chunks_ = group_by(t_["file_chunk"], "file_id");
  }

  Result<ImportTicket> ticket(std::size_t i) {
    const auto& tickets = t_["ticket"];
    ImportTicket t;
    const auto id = cell(tickets, i, "ticket_id");
    t.ref = cell(tickets, i, "number");
    if (t.ref.empty()) t.ref = id;
    if (t.ref.empty() || t.ref.size() > kMaxRefLength || !text::is_valid_utf8(t.ref))
      return fail(ErrorCode::kInvalidArgument, "no number and no ticket_id");
    const auto status_id = cell(tickets, i, "status_id");
    auto status = statuses_.find(status_id);
    std::optional<StatusCategory> category;
    if (status != statuses_.end()) {
      const auto& s = t_["ticket_status"];
      category = category_of(cell(s, status->second, "name"), cell(s, status->second, "state"));
    }
    if (!category) return fail(ErrorCode::kInvalidArgument, "unknown status_id: " + status_id);
    t.category = *category;
    if (auto c = cdata_.find(id); c != cdata_.end()) {
      const auto& cdata = t_["ticket__cdata"];
      t.subject = text::trim(cell(cdata, c->second, "subject"));
      const auto priority = cell(cdata, c->second, "priority");
      auto p = priorities_.find(priority);
      t.priority = priority_of(
          p == priorities_.end() ? priority : cell(t_["ticket_priority"], p->second, "priority"));
    }
    if (!text::is_valid_utf8(t.subject))
      return fail(ErrorCode::kInvalidArgument, "the subject is not UTF-8");
    t.channel = channel_of(cell(tickets, i, "source"));
    const auto user = cell(tickets, i, "user_id");
    if (user.empty() || user == "0") return fail(ErrorCode::kInvalidArgument, "no user_id");
    t.requester_ref = "user-" + user;
    if (auto staff = cell(tickets, i, "staff_id"); !staff.empty() && staff != "0")
      t.assignee_ref = "staff-" + staff;
    t.organization_ref = org_of_user_[t.requester_ref];
    if (t.organization_ref == "0") t.organization_ref.clear();
    auto created = date(tickets, i, "created");
    if (!created) return fail(ErrorCode::kInvalidArgument, "created is not a time");
    t.created_at = *created;
    auto updated = date(tickets, i, "updated");
    if (auto last = date(tickets, i, "lastupdate"); last && (!updated || *last > *updated))
      updated = last;
    t.updated_at = std::max(updated.value_or(*created), *created);
    if (!is_unsolved(t.category)) t.solved_at = date(tickets, i, "closed").value_or(t.updated_at);
    field(t, kDepartment, departments_, "department", cell(tickets, i, "dept_id"), "name");
    field(t, kTopic, topics_, "help_topic", cell(tickets, i, "topic_id"), "topic");
    if (auto thread = thread_of_ticket_.find(id); thread != thread_of_ticket_.end())
      for (const auto entry : entries_[thread->second]) {
        GONGDAN_ASSIGN(auto m, message(entry, t.requester_ref));
        if (m) t.messages.push_back(std::move(*m));
      }
    return t;
  }

  void field(ImportTicket& t, const char* key,
             const std::unordered_map<std::string, std::size_t>& index, std::string_view table,
             const std::string& id, std::string_view column) {
    auto it = index.find(id);
    if (it == index.end()) return;
    auto value = text::trim(cell(t_[table], it->second, column));
    if (!value.empty() && text::is_valid_utf8(value)) t.fields.emplace_back(key, std::move(value));
  }

  // A thread entry as a message: M from the customer, R an agent's response, N an internal note;
  // nullopt for the other kinds (events, forwarded).
  Result<std::optional<ImportMessage>> message(std::size_t row, const std::string& requester) {
    const auto& entries = t_["thread_entry"];
    const auto type = cell(entries, row, "type");
    if (type != "M" && type != "R" && type != "N") return std::optional<ImportMessage>();
    const auto id = cell(entries, row, "id");
    ImportMessage m;
    const auto user = cell(entries, row, "user_id"), staff = cell(entries, row, "staff_id");
    if (type == "M" || staff.empty() || staff == "0")
      m.author_ref = user.empty() || user == "0" ? requester : "user-" + user;
    else
      m.author_ref = "staff-" + staff;
    m.internal = type == "N";
    auto at = date(entries, row, "created");
    if (!at)
      return fail(ErrorCode::kInvalidArgument, "thread entry " + id + " has no created time");
    m.created_at = *at;
    auto body = cell(entries, row, "body");
    if (!text::is_valid_utf8(body))
      return fail(ErrorCode::kInvalidArgument, "thread entry " + id + " is not UTF-8");
    (text::to_lower_ascii(cell(entries, row, "format")) == "text" ? m.body : m.html) =
        std::move(body);
    for (const auto a : attachments_[id]) attachment(a, m);
    return std::optional<ImportMessage>(std::move(m));
  }

  // A file kept in the database (`bk` D) comes with its bytes; one osTicket kept on disk or in
  // another backend cannot be read from the dump and is noted when the import writes.
  void attachment(std::size_t row, ImportMessage& m) {
    const auto& attachments = t_["attachment"];
    if (cell(attachments, row, "inline") == "1") return;  // an image shown inside the HTML
    const auto file_id = cell(attachments, row, "file_id");
    auto file = files_.find(file_id);
    if (file == files_.end()) return;
    const auto& files = t_["file"];
    ImportAttachment a;
    a.filename = cell(attachments, row, "name");
    if (a.filename.empty()) a.filename = cell(files, file->second, "name");
    a.content_type = cell(files, file->second, "type");
    a.location = "osTicket file " + file_id;
    const auto backend = cell(files, file->second, "bk");
    if (backend.empty() || backend == "D") {
      const auto& chunks = t_["file_chunk"];
      auto parts = chunks_[file_id];
      std::stable_sort(parts.begin(), parts.end(), [&](std::size_t x, std::size_t y) {
        return number(cell(chunks, x, "chunk_id")) < number(cell(chunks, y, "chunk_id"));
      });
      for (const auto part : parts) a.bytes += cell(chunks, part, "filedata");
      a.embedded = true;
    } else {
      a.location += " (kept outside the database, backend " + backend + ")";
    }
    if (a.filename.empty() || !text::is_valid_utf8(a.filename)) a.filename = "file-" + file_id;
    m.attachments.push_back(std::move(a));
  }

  Tables t_;
  std::string_view file_;
  ImportData& out_;
  std::unordered_map<std::string, std::string> org_of_user_, thread_of_ticket_;
  std::unordered_map<std::string, std::size_t> cdata_, statuses_, priorities_, departments_,
      topics_, files_;
  std::unordered_map<std::string, std::vector<std::size_t>> entries_, attachments_, chunks_;
};

}  // namespace

ImportData read_osticket_dump(std::string_view bytes, std::string_view file) {
  auto dump = read_sql_dump(bytes, file, [](std::string_view name) {
    return std::any_of(std::begin(kTables), std::end(kTables),
                       [&](std::string_view suffix) { return name.ends_with(suffix); });
  });
  ImportData out;
  out.problems = std::move(dump.problems);
  Reader(dump, file, out).read();
  return out;
}

}  // namespace gongdan::import
