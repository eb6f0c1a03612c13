#include "store/privacy_store.hpp"

#include <algorithm>

namespace gongdan::store {
namespace {

// The contact's tickets: requested, or followed.
constexpr std::string_view kTheirTickets =
    "(SELECT id FROM tickets WHERE requester_id = ? UNION "
    "SELECT ticket_id FROM ticket_followers WHERE user_id = ?)";

struct Section {
  const char* name;
  std::string sql;
};

std::string with_tickets(std::string_view head, std::string_view tail = {}) {
  return std::string(head) + std::string(kTheirTickets) + std::string(tail);
}

// Columns are named one by one: secrets (password hashes, tokens) never reach an export.
const std::vector<Section>& sections() {
  static const std::vector<Section> all = {
      {"contact",
       "SELECT id, email, name, locale, time_zone, active, organization_id, notes, created_at, "
       "updated_at FROM users WHERE id = ? AND role = 'customer'"},
      {"identities", "SELECT kind, value FROM contact_identities WHERE user_id = ? ORDER BY id"},
      {"provider_identities",
       "SELECT s.kind AS source_kind, s.name AS source, p.external_id, p.display_name, "
       "p.created_at FROM provider_identities p JOIN inbound_sources s ON s.id = p.source_id "
       "WHERE p.user_id = ? ORDER BY p.id"},
      {"sign_in_identities",
       "SELECT provider, subject, created_at, seen_at FROM external_identities WHERE user_id = ? "
       "ORDER BY id"},
      {"organization",
       "SELECT o.id, o.name, o.domains, o.tier FROM organizations o JOIN users u ON "
       "u.organization_id = o.id WHERE u.id = ?"},
      {"tickets", with_tickets("SELECT t.id, t.number, t.subject, s.name AS status, t.category, "
                               "t.priority, t.type, t.channel, t.tags, t.custom_fields, "
                               "t.requester_id, t.created_at, t.updated_at, t.solved_at FROM "
                               "tickets t JOIN statuses s ON s.id = t.status_id WHERE t.id IN ",
                               " ORDER BY t.id")},
      {"messages", with_tickets("SELECT m.id, m.ticket_id, m.author_id, m.body, m.html, "
                                "m.channel, m.created_at FROM messages m WHERE m.author_id = ? "
                                "OR (m.internal = 0 AND m.ticket_id IN ",
                                ") ORDER BY m.id")},
      {"attachments",
       with_tickets("SELECT a.id, a.message_id, a.filename, a.content_type, a.size, a.sha256, "
                    "a.created_at FROM attachments a JOIN messages m ON m.id = a.message_id "
                    "WHERE m.author_id = ? OR (m.internal = 0 AND m.ticket_id IN ",
                    ") ORDER BY a.id")},
      {"csat",
       "SELECT r.ticket_id, r.question, r.scale, r.rating, r.comment, r.sent_at, "
       "r.rated_at FROM csat_requests r JOIN tickets t ON t.id = r.ticket_id WHERE "
       "t.requester_id = ? ORDER BY r.id"},
      {"chats",
       "SELECT id, ticket_id, state, ip, created_at, ended_at FROM chat_sessions WHERE "
       "visitor_id = ? ORDER BY id"},
      {"calls",
       "SELECT l.id, l.ticket_id, l.direction, l.number, l.duration_seconds, l.outcome, "
       "l.notes, l.started_at FROM call_logs l JOIN tickets t ON t.id = l.ticket_id "
       "WHERE t.requester_id = ? ORDER BY l.id"},
      {"audit",
       "SELECT id, at, actor_id, action, target, detail FROM audit_log WHERE target = ? "
       "OR actor_id = ? ORDER BY id"},
  };
  return all;
}

Cell cell(const Statement& s, int i) {
  switch (s.column_type(i)) {
    case Statement::Type::kNull:
      return nullptr;
    case Statement::Type::kInteger:
      return s.column_int(i);
    case Statement::Type::kReal:
      return s.column_real(i);
    default:
      return s.column_text(i);
  }
}

}  // namespace

Result<std::map<std::string, std::vector<Record>>> contact_records(Connection& c,
                                                                   std::int64_t user_id) {
  std::map<std::string, std::vector<Record>> out;
  const std::string target = "user:" + std::to_string(user_id);
  for (const auto& section : sections()) {
    GONGDAN_ASSIGN(auto q, query(c, section.sql));
    const auto marks = std::count(section.sql.begin(), section.sql.end(), '?');
    // Every placeholder is the contact's id, except the audit target's text.
    for (int i = 1; i <= marks; ++i) {
      if (std::string_view(section.name) == "audit" && i == 1)
        q.statement().bind_text(i, target);
      else
        q.statement().bind_int(i, user_id);
    }
    auto& rows = out[section.name];
    while (true) {
      GONGDAN_ASSIGN(bool row, q.next());
      if (!row) break;
      Record r;
      for (int i = 0; i < q.statement().column_count(); ++i)
        r.emplace_back(q.statement().column_name(i), cell(q.statement(), i));
      rows.push_back(std::move(r));
    }
    if (section.name == std::string_view("contact") && rows.empty()) return decltype(out){};
  }
  return out;
}

}  // namespace gongdan::store
