#include "store/tickets_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <unordered_map>
#include <variant>

#include "store/batch_items.hpp"
#include "store/column_table.hpp"
#include "store/report_store.hpp"
#include "store/select_by_ids.hpp"
#include "util/text.hpp"

namespace gongdan::store {
namespace {

// Tags are stored as one text, space-separated.
struct SpaceSeparated {
  void read(const Query& q, int c, std::vector<std::string>& out) const {
    const std::string stored = q.text(c);
    out.clear();
    for (auto part : text::split(stored, ' '))
      if (!part.empty()) out.emplace_back(part);
  }
};

const ColumnTable kTickets(
    "tickets t", column("id", &Ticket::id), column("number", &Ticket::number),
    column("subject", &Ticket::subject), column("status_id", &Ticket::status_id),
    column("category", &Ticket::category,
           by_name(parse_category, category_name, StatusCategory::kOpen)),
    column("priority", &Ticket::priority),
    column("type", &Ticket::type, by_name(parse_type, type_name, TicketType::kQuestion)),
    column("department_id", &Ticket::department_id), column("assignee_id", &Ticket::assignee_id),
    column("requester_id", &Ticket::requester_id),
    column("organization_id", &Ticket::organization_id), column("channel", &Ticket::channel),
    column("tags", &Ticket::tags, SpaceSeparated{}),
    column("custom_fields", &Ticket::custom_fields), column("merged_into", &Ticket::merged_into),
    column("version", &Ticket::version), column("created_at", &Ticket::created_at),
    column("updated_at", &Ticket::updated_at),
    column("first_response_at", &Ticket::first_response_at),
    column("solved_at", &Ticket::solved_at),
    column("first_response_due_at", &Ticket::first_response_due_at),
    column("next_response_due_at", &Ticket::next_response_due_at),
    column("resolution_due_at", &Ticket::resolution_due_at),
    column("sla_policy_id", &Ticket::sla_policy_id), column("language", &Ticket::language));

// Binds values of a dynamically built statement, in the order their `?` were appended.
struct Binder {
  std::vector<std::variant<std::int64_t, std::string>> values;
  void add(std::int64_t v) { values.emplace_back(v); }
  void add(std::string v) { values.emplace_back(std::move(v)); }
  void apply(Statement& s) const {
    int i = 1;
    for (const auto& v : values) {
      if (const auto* n = std::get_if<std::int64_t>(&v))
        s.bind_int(i++, *n);
      else
        s.bind_text(i++, std::get<std::string>(v));
    }
  }
};

void add_in_list(std::string& sql, Binder& b, std::string_view column,
                 const std::vector<std::int64_t>& values, bool zero_means_null) {
  if (values.empty()) return;
  std::string clause;
  bool has_null = false;
  for (auto v : values) {
    if (zero_means_null && v == 0) {
      has_null = true;
      continue;
    }
    clause += clause.empty() ? "?" : ", ?";
    b.add(v);
  }
  std::string cond;
  if (!clause.empty()) cond = fmt::format("{} IN ({})", column, clause);
  if (has_null)
    cond = cond.empty() ? fmt::format("{} IS NULL", column)
                        : fmt::format("({} OR {} IS NULL)", cond, column);
  sql += " AND " + cond;
}

// " AND column IN (?, …)" over the names of `values` (categories, types).
template <class Value, class Name>
void add_name_list(std::string& sql, Binder& b, std::string_view column,
                   const std::vector<Value>& values, Name name) {
  if (values.empty()) return;
  sql += fmt::format(" AND {} IN (", column);
  for (std::size_t i = 0; i < values.size(); ++i) {
    sql += i ? ", ?" : "?";
    b.add(std::string(name(values[i])));
  }
  sql += ")";
}

// The viewer's visibility rules of domain/ticket_access, as SQL.
void add_visibility(std::string& sql, Binder& b, const Viewer& v) {
  if (v.role == Role::kCustomer) {
    if (v.organization_shares && v.organization_id) {
      sql +=
          " AND (t.requester_id = ? OR t.organization_id = ? OR EXISTS (SELECT 1 FROM "
          "ticket_followers f WHERE f.ticket_id = t.id AND f.user_id = ?))";
      b.add(v.user_id);
      b.add(*v.organization_id);
      b.add(v.user_id);
    } else {
      sql +=
          " AND (t.requester_id = ? OR EXISTS (SELECT 1 FROM ticket_followers f WHERE "
          "f.ticket_id = t.id AND f.user_id = ?))";
      b.add(v.user_id);
      b.add(v.user_id);
    }
    return;
  }
  if (v.sees_no_tickets()) {
    sql += " AND 1 = 0";
    return;
  }
  if (v.sees_all_departments()) return;
  sql += " AND (t.department_id IS NULL OR t.assignee_id = ?";
  b.add(v.user_id);
  if (!v.departments.empty()) {
    sql += " OR t.department_id IN (";
    for (std::size_t i = 0; i < v.departments.size(); ++i) {
      sql += i ? ", ?" : "?";
      b.add(v.departments[i]);
    }
    sql += ")";
  }
  sql += ")";
}

// The SLA states of domain/ticket_filter's sla_state_of, as SQL (any of them).
void add_sla_states(std::string& sql, Binder& b, const std::vector<SlaState>& states, Millis now) {
  if (states.empty()) return;
  static constexpr const char* kPaused = "t.category IN ('pending', 'on_hold')";
  static constexpr const char* kHasDue =
      "(t.first_response_due_at IS NOT NULL OR t.next_response_due_at IS NOT NULL OR "
      "t.resolution_due_at IS NOT NULL)";
  // A due time before ?, never NULL (a missing target is never due).
  auto due_before = [&b](Millis at) {
    for (int i = 0; i < 3; ++i) b.add(at);
    return std::string(
        "(COALESCE(t.first_response_due_at, 9223372036854775807) < ? OR "
        "COALESCE(t.next_response_due_at, 9223372036854775807) < ? OR "
        "COALESCE(t.resolution_due_at, 9223372036854775807) < ?)");
  };
  std::string any;
  for (auto state : states) {
    std::string one;
    switch (state) {
      case SlaState::kNone:
        one = fmt::format("(t.sla_policy_id IS NULL OR (NOT {} AND NOT {}))", kPaused, kHasDue);
        break;
      case SlaState::kPaused:
        one = fmt::format("(t.sla_policy_id IS NOT NULL AND {})", kPaused);
        break;
      case SlaState::kBreached:
        one = fmt::format("(t.sla_policy_id IS NOT NULL AND NOT {} AND {})", kPaused,
                          due_before(now));
        break;
      case SlaState::kWarning: {
        auto overdue = due_before(now);
        one = fmt::format("(t.sla_policy_id IS NOT NULL AND NOT {} AND NOT {} AND {})", kPaused,
                          overdue, due_before(now + kSlaWarningMs + 1));
        break;
      }
      case SlaState::kOk:
        one = fmt::format("(t.sla_policy_id IS NOT NULL AND NOT {} AND {} AND NOT {})", kPaused,
                          kHasDue, due_before(now + kSlaWarningMs + 1));
        break;
    }
    any += any.empty() ? one : " OR " + one;
  }
  sql += " AND (" + any + ")";
}

// A JSON scalar's text as the ticket's custom_fields hold it: a string quoted, and the value
// itself when it reads as a number or true/false (a number or checkbox field).
std::vector<std::string> json_forms(const std::string& value) {
  std::vector<std::string> forms{boost::json::serialize(boost::json::string(value))};
  boost::system::error_code ec;
  auto parsed = boost::json::parse(value, ec);
  if (!ec && (parsed.is_number() || parsed.is_bool()))
    forms.push_back(boost::json::serialize(parsed));
  return forms;
}

// Each custom field value: equal to the field's value, or one of a multi-select's values.
void add_custom_fields(std::string& sql, Binder& b, Engine engine,
                       const std::vector<CustomFieldMatch>& fields) {
  for (const auto& m : fields) {
    const auto forms = json_forms(m.value);
    if (engine == Engine::kPostgres) {
      // jsonb containment: a scalar contains an equal scalar, an array each of its elements.
      sql += " AND (";
      for (std::size_t i = 0; i < forms.size(); ++i) {
        sql += i ? " OR " : "";
        sql += "(t.custom_fields::jsonb -> ?::text) @> ?::jsonb";
        b.add(m.key);
        b.add(forms[i]);
      }
      sql += ")";
    } else {
      // `->` gives the value's JSON text; json_each walks a multi-select's array.
      const std::string path = "$.\"" + m.key + "\"";
      sql += " AND ((t.custom_fields -> ?) IN (";
      b.add(path);
      for (std::size_t i = 0; i < forms.size(); ++i) {
        sql += i ? ", ?" : "?";
        b.add(forms[i]);
      }
      sql +=
          ") OR EXISTS (SELECT 1 FROM json_each(t.custom_fields, ?) j WHERE j.type = 'text' AND "
          "j.value = ?))";
      b.add(path);
      b.add(m.value);
    }
  }
}

std::string build_where(const TicketFilter& f, Binder& b, Engine engine) {
  std::string sql = " WHERE 1 = 1";
  add_in_list(sql, b, "t.status_id", f.status_ids, false);
  add_name_list(sql, b, "t.category", f.categories, category_name);
  add_in_list(sql, b, "t.department_id", f.departments, true);
  add_in_list(sql, b, "t.assignee_id", f.assignees, true);
  if (f.requester_id) {
    sql += " AND t.requester_id = ?";
    b.add(*f.requester_id);
  }
  if (f.organization_id) {
    sql += " AND t.organization_id = ?";
    b.add(*f.organization_id);
  }
  if (f.tag) {
    sql += " AND t.id IN (SELECT ticket_id FROM ticket_tags WHERE tag = ?)";
    b.add(*f.tag);
  }
  if (!f.priorities.empty()) {
    std::vector<std::int64_t> p;
    for (auto x : f.priorities) p.push_back(static_cast<std::int64_t>(x));
    add_in_list(sql, b, "t.priority", p, false);
  }
  add_name_list(sql, b, "t.type", f.types, type_name);
  if (f.channel) {
    sql += " AND t.channel = ?";
    b.add(*f.channel);
  }
  if (f.external_id) {
    sql +=
        " AND t.id IN (SELECT local_id FROM import_refs WHERE kind = 'ticket' AND "
        "external_id = ?)";
    b.add(*f.external_id);
  }
  auto range = [&](std::string_view column, const std::optional<Millis>& from,
                   const std::optional<Millis>& to) {
    if (from) {
      sql += fmt::format(" AND {} >= ?", column);
      b.add(*from);
    }
    if (to) {
      sql += fmt::format(" AND {} < ?", column);
      b.add(*to);
    }
  };
  range("t.created_at", f.created_from, f.created_to);
  range("t.updated_at", f.updated_from, f.updated_to);
  add_sla_states(sql, b, f.sla_states, f.sla_now);
  add_custom_fields(sql, b, engine, f.custom_fields);
  return sql;
}

}  // namespace

namespace {

constexpr std::string_view kNumbers = "ticket_numbers";

// The numbers a batch's creates kept (BatchItems drops a failed create's), stored once.
Result<void> store_kept_numbers(Connection& c, std::vector<std::int64_t> kept) {
  if (kept.empty()) return {};
  return run(c, "UPDATE ticket_numbers SET next_number = ? WHERE id = 1",
             *std::max_element(kept.begin(), kept.end()) + 1);
}

}  // namespace

// In a batch on SQLite the numbers come from memory: the batch's first create reads the
// counter, and the batch writes the one after its highest kept number once, just before it
// commits (the UPDATE with RETURNING cost each create about 9 µs of the single writer's time,
// a twenty-fifth of a create's, at 1,000,000 tickets). The batch holds SQLite's write lock from
// its first statement to its commit, so no other writer takes a number meanwhile. A create that
// fails in the batch may leave a gap, as PostgreSQL's sequence does; a batch that fails stores
// nothing.
Result<std::int64_t> next_ticket_number(Connection& c) {
  if (c.deferring() && c.engine() == Engine::kSqlite) {
    static BatchItems<std::int64_t> kept(store_kept_numbers);
    auto it = c.batch_counters().find(kNumbers);
    if (it == c.batch_counters().end()) {
      GONGDAN_ASSIGN(auto q, query(c, "SELECT next_number FROM ticket_numbers WHERE id = 1"));
      GONGDAN_ASSIGN(bool row, q.next());
      if (!row) return fail(ErrorCode::kInternal, "ticket number counter is missing");
      it = c.batch_counters().emplace(std::string(kNumbers), q.integer(0)).first;
    }
    const auto number = it->second++;
    GONGDAN_TRY(kept.add(c, number));
    return number;
  }
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE ticket_numbers SET next_number = next_number + 1 "
                               "WHERE id = 1 RETURNING next_number - 1"));
  GONGDAN_ASSIGN(bool row, q.next());
  if (!row) return fail(ErrorCode::kInternal, "ticket number counter is missing");
  return q.integer(0);
}

Result<void> insert_ticket(Connection& c, Ticket& t) {
  static constexpr std::string_view kColumns =
      "number, subject, status_id, category, priority, type, department_id, assignee_id, "
      "requester_id, organization_id, channel, tags, custom_fields, merged_into, version, "
      "created_at, updated_at, first_response_at, solved_at, first_response_due_at, "
      "next_response_due_at, resolution_due_at, sla_policy_id, language";
  static constexpr std::string_view kValues =
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";
  // PostgreSQL takes the next number from its sequence in the insert itself (schema 10): no
  // round trip of its own, and no row lock that would hold every other writer's creates.
  static const std::string numbered = fmt::format(
      "INSERT INTO tickets ({}) VALUES (nextval('ticket_number_seq'), {}) "
      "RETURNING id, number",
      kColumns, kValues);
  static const std::string plain = fmt::format(
      "INSERT INTO tickets ({}) VALUES (?, {}) RETURNING id, number", kColumns, kValues);
  const bool in_one = t.number == 0 && c.engine() == Engine::kPostgres;
  if (t.number == 0 && !in_one) {
    GONGDAN_ASSIGN(t.number, next_ticket_number(c));
  }
  GONGDAN_ASSIGN(auto q, query(c, in_one ? numbered : plain));
  if (!in_one) q.statement().bind_int(1, t.number);
  const int first = in_one ? 1 : 2;
  auto& s = q.statement();
  int i = first;
  s.bind_text(i++, t.subject);
  s.bind_int(i++, t.status_id);
  s.bind_text(i++, category_name(t.category));
  s.bind_int(i++, static_cast<int>(t.priority));
  s.bind_text(i++, type_name(t.type));
  auto optional = [&](const std::optional<std::int64_t>& v) {
    if (v)
      s.bind_int(i++, *v);
    else
      s.bind_null(i++);
  };
  optional(t.department_id);
  optional(t.assignee_id);
  s.bind_int(i++, t.requester_id);
  optional(t.organization_id);
  s.bind_text(i++, t.channel);
  s.bind_text(i++, text::join(t.tags, ' '));
  s.bind_text(i++, t.custom_fields);
  optional(t.merged_into);
  s.bind_int(i++, t.version);
  s.bind_int(i++, t.created_at);
  s.bind_int(i++, t.updated_at);
  optional(t.first_response_at);
  optional(t.solved_at);
  optional(t.first_response_due_at);
  optional(t.next_response_due_at);
  optional(t.resolution_due_at);
  optional(t.sla_policy_id);
  s.bind_text(i++, t.language);
  GONGDAN_ASSIGN(bool row, q.next());
  if (!row) return fail(ErrorCode::kInternal, "ticket insert returned no id");
  t.id = q.integer(0);
  t.number = q.integer(1);
  return {};
}

Result<bool> update_ticket(Connection& c, const Ticket& t, std::int64_t expected_version) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "UPDATE tickets SET subject = ?, status_id = ?, category = ?, "
                               "priority = ?, type = ?, department_id = ?, assignee_id = ?, "
                               "requester_id = ?, organization_id = ?, tags = ?, "
                               "custom_fields = ?, merged_into = ?, version = ?, updated_at = ?, "
                               "first_response_at = ?, solved_at = ?, first_response_due_at = ?, "
                               "next_response_due_at = ?, resolution_due_at = ?, sla_policy_id = ? "
                               "WHERE id = ? AND version = ?"));
  q.bind(t.subject, t.status_id, category_name(t.category), static_cast<int>(t.priority),
         type_name(t.type), t.department_id, t.assignee_id, t.requester_id, t.organization_id,
         text::join(t.tags, ' '), t.custom_fields, t.merged_into, t.version, t.updated_at,
         t.first_response_at, t.solved_at, t.first_response_due_at, t.next_response_due_at,
         t.resolution_due_at, t.sla_policy_id, t.id, expected_version);
  GONGDAN_TRY(q.run());
  return c.changes() == 1;
}

Result<void> set_ticket_language(Connection& c, std::int64_t ticket_id, std::string_view language) {
  return run(c, "UPDATE tickets SET language = ? WHERE id = ?", language, ticket_id);
}

Result<std::optional<Ticket>> find_ticket_by_number(Connection& c, std::int64_t number) {
  static const std::string sql = kTickets.select("WHERE t.number = ?");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(number), kTickets);
}

Result<std::optional<TicketWithPeople>> find_ticket_with_people(Connection& c,
                                                                std::int64_t number) {
  static const std::string sql = fmt::format(
      "SELECT {}, {}, {} FROM tickets t LEFT JOIN users r ON r.id = t.requester_id "
      "LEFT JOIN users a ON a.id = t.assignee_id WHERE t.number = ?",
      kTickets.list(), user_columns("r"), user_columns("a"));
  GONGDAN_ASSIGN(auto q, query(c, sql));
  GONGDAN_ASSIGN(bool row, q.bind(number).next());
  if (!row) return std::optional<TicketWithPeople>{};
  constexpr int kFirstUser = kTickets.kSize;
  TicketWithPeople out{kTickets.read(q), read_user_at(q, kFirstUser),
                       read_user_at(q, kFirstUser + kUserColumnCount)};
  if (!out.requester->id) out.requester.reset();
  if (!out.assignee->id) out.assignee.reset();
  return std::optional<TicketWithPeople>(std::move(out));
}

Result<std::unordered_map<std::int64_t, Ticket>> find_tickets(
    Connection& c, const std::vector<std::int64_t>& ids) {
  static const std::string head = kTickets.select("WHERE t.id");
  std::unordered_map<std::int64_t, Ticket> out;
  GONGDAN_TRY(select_by_ids(c, head, ids, [&](const Query& q) {
    auto t = kTickets.read(q);
    out.insert_or_assign(t.id, std::move(t));
  }));
  return out;
}

Result<std::optional<Ticket>> find_ticket(Connection& c, std::int64_t id) {
  return kTickets.find(c, id);
}

Result<void> replace_tags(Connection& c, std::int64_t ticket_id,
                          const std::vector<std::string>& old_tags,
                          const std::vector<std::string>& new_tags) {
  for (const auto& tag : old_tags) {
    if (std::find(new_tags.begin(), new_tags.end(), tag) != new_tags.end()) continue;
    GONGDAN_ASSIGN(auto q, query(c, "DELETE FROM ticket_tags WHERE tag = ? AND ticket_id = ?"));
    GONGDAN_TRY(q.bind(tag, ticket_id).run_later());
  }
  std::vector<const std::string*> added;
  for (const auto& tag : new_tags)
    if (std::find(old_tags.begin(), old_tags.end(), tag) == old_tags.end()) added.push_back(&tag);
  // Up to four tags a statement: a new ticket's tags (its own and its rules') in one go.
  static const MultiRowInsert<4> kInsert("INSERT INTO ticket_tags (tag, ticket_id)", 2,
                                         " ON CONFLICT DO NOTHING");
  return kInsert.run(c, added.size(), [&](Query& q, int first, std::size_t i) {
    q.bind_from(first, *added[i], ticket_id);
  });
}

namespace {
Result<std::vector<Ticket>> list_tickets_once(Connection& c, const TicketListQuery& q);
}  // namespace

// Several categories at once would defeat the (…, category, updated_at) indexes, so each
// category is read in index order on its own and the sorted pages are merged.
Result<std::vector<Ticket>> list_tickets(Connection& c, const TicketListQuery& q) {
  if (q.filter.categories.size() <= 1 || q.sort == TicketSort::kPriorityDesc)
    return list_tickets_once(c, q);
  std::vector<Ticket> merged;
  for (auto category : q.filter.categories) {
    TicketListQuery one = q;
    one.filter.categories = {category};
    GONGDAN_ASSIGN(auto part, list_tickets_once(c, one));
    merged.insert(merged.end(), std::make_move_iterator(part.begin()),
                  std::make_move_iterator(part.end()));
  }
  const bool descending = q.sort == TicketSort::kUpdatedDesc || q.sort == TicketSort::kCreatedDesc;
  std::sort(merged.begin(), merged.end(), [&](const Ticket& a, const Ticket& b) {
    auto ka = std::pair(sort_key(a, q.sort), a.id);
    auto kb = std::pair(sort_key(b, q.sort), b.id);
    return descending ? ka > kb : ka < kb;
  });
  if (static_cast<int>(merged.size()) > q.limit) merged.resize(q.limit);
  return merged;
}

namespace {
Result<std::vector<Ticket>> list_tickets_once(Connection& c, const TicketListQuery& q) {
  Binder binder;
  std::string sql = "SELECT " + kTickets.list() + " FROM tickets t";
  sql += build_where(q.filter, binder, c.engine());
  if (q.viewer) add_visibility(sql, binder, *q.viewer);
  // Columns come from this fixed table, never from the request.
  std::string_view column = "t.updated_at";
  bool descending = true;
  switch (q.sort) {
    case TicketSort::kUpdatedDesc:
      break;
    case TicketSort::kUpdatedAsc:
      descending = false;
      break;
    case TicketSort::kCreatedDesc:
      column = "t.created_at";
      break;
    case TicketSort::kCreatedAsc:
      column = "t.created_at";
      descending = false;
      break;
    case TicketSort::kPriorityDesc:
      column = "t.priority";
      break;
  }
  if (q.after) {
    sql += fmt::format(" AND ({} {} ? OR ({} = ? AND t.id {} ?))", column, descending ? "<" : ">",
                       column, descending ? "<" : ">");
    binder.add(q.after->key);
    binder.add(q.after->key);
    binder.add(q.after->id);
  }
  const char* dir = descending ? "DESC" : "ASC";
  sql += fmt::format(" ORDER BY {} {}, t.id {} LIMIT ?", column, dir, dir);
  binder.add(static_cast<std::int64_t>(q.limit));
  GONGDAN_ASSIGN(auto statement, c.prepare(sql));
  binder.apply(*statement);
  Query rows(statement);
  return read_rows(rows, kTickets);
}
}  // namespace

Result<void> flush_counts(Connection& c, const std::map<std::string, std::int64_t>& counts) {
  return adjust_counts(c, counts);
}

// Report rollups travel with the view counters (summed over the batch) and are stored apart.
Result<void> adjust_counts(Connection& c, const std::map<std::string, std::int64_t>& deltas) {
  std::map<std::string, std::int64_t> rollups;
  for (const auto& [key, delta] : deltas) {
    if (delta == 0) continue;
    if (is_rollup_key(key)) {
      rollups.emplace(key, delta);
      continue;
    }
    GONGDAN_ASSIGN(auto q, query(c,
                                 "INSERT INTO view_counts (view_key, shard, n) VALUES (?, ?, ?) "
                                 "ON CONFLICT (view_key, shard) DO UPDATE SET n = view_counts.n + "
                                 "excluded.n"));
    GONGDAN_TRY(q.bind(key, c.count_shard(), delta).run_later());
  }
  return add_rollups(c, rollups);
}

Result<void> drop_count(Connection& c, std::string_view key) {
  return run(c, "DELETE FROM view_counts WHERE view_key = ?", key);
}

Result<std::map<std::string, std::int64_t>> read_counts(Connection& c,
                                                        const std::vector<std::string>& keys) {
  std::map<std::string, std::int64_t> out;
  for (const auto& key : keys) {
    GONGDAN_ASSIGN(auto q,
                   query(c, "SELECT COALESCE(SUM(n), 0) FROM view_counts WHERE view_key = ?"));
    GONGDAN_ASSIGN(out[key], read_count(q.bind(key)));
  }
  return out;
}

Result<std::int64_t> count_matching(Connection& c, const TicketFilter& filter,
                                    const std::optional<Viewer>& viewer) {
  Binder binder;
  std::string sql = "SELECT COUNT(*) FROM tickets t" + build_where(filter, binder, c.engine());
  if (viewer) add_visibility(sql, binder, *viewer);
  GONGDAN_ASSIGN(auto statement, c.prepare(sql));
  binder.apply(*statement);
  Query q(statement);
  return read_count(q);
}

Result<std::vector<std::int64_t>> list_followers(Connection& c, std::int64_t ticket_id) {
  return select_ids(c, "SELECT user_id FROM ticket_followers WHERE ticket_id = ? ORDER BY user_id",
                    ticket_id);
}

Result<void> add_follower(Connection& c, std::int64_t ticket_id, std::int64_t user_id) {
  return run(
      c, "INSERT INTO ticket_followers (ticket_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
      ticket_id, user_id);
}

Result<bool> remove_follower(Connection& c, std::int64_t ticket_id, std::int64_t user_id) {
  GONGDAN_ASSIGN(bool follows, is_follower(c, ticket_id, user_id));
  if (!follows) return false;
  GONGDAN_TRY(run(c, "DELETE FROM ticket_followers WHERE ticket_id = ? AND user_id = ?", ticket_id,
                  user_id));
  return true;
}

Result<bool> is_follower(Connection& c, std::int64_t ticket_id, std::int64_t user_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT 1 FROM ticket_followers WHERE ticket_id = ? AND "
                               "user_id = ?"));
  return q.bind(ticket_id, user_id).next();
}

Result<std::vector<TicketLink>> list_links(Connection& c, std::int64_t ticket_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT t.number, l.kind FROM ticket_links l JOIN tickets t ON "
                               "t.id = l.other_id WHERE l.ticket_id = ? ORDER BY t.number"));
  return read_rows(q.bind(ticket_id), [](const Query& r) {
    return TicketLink{r.integer(0), r.text(1)};
  });
}

Result<void> put_link(Connection& c, std::int64_t ticket_id, std::int64_t other_id,
                      std::string_view kind) {
  return run(c,
             "INSERT INTO ticket_links (ticket_id, other_id, kind) VALUES (?, ?, ?) ON CONFLICT "
             "(ticket_id, other_id) DO UPDATE SET kind = excluded.kind",
             ticket_id, other_id, kind);
}

Result<bool> delete_link(Connection& c, std::int64_t ticket_id, std::int64_t other_id) {
  return run_changed(c, "DELETE FROM ticket_links WHERE ticket_id = ? AND other_id = ?", ticket_id,
                     other_id);
}

Result<std::optional<std::int64_t>> find_idempotent_ticket(Connection& c, std::int64_t user_id,
                                                           std::string_view key) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT ticket_id FROM idempotency_keys WHERE user_id = ? AND "
                               "key = ?"));
  return read_first_id(q.bind(user_id, key));
}

Result<void> remember_idempotent_ticket(Connection& c, std::int64_t user_id, std::string_view key,
                                        std::int64_t ticket_id, Millis now) {
  return run(
      c, "INSERT INTO idempotency_keys (user_id, key, ticket_id, created_at) VALUES (?, ?, ?, ?)",
      user_id, key, ticket_id, now);
}

}  // namespace gongdan::store
