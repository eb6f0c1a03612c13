#include "store/privacy_store.hpp"

#include <algorithm>

#include "domain/erasure.hpp"

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

namespace gongdan::store {
namespace {

Result<std::vector<TextRow>> text_rows(Query& q) {
  return read_rows(q, [](const Query& r) {
    return TextRow{r.integer(0), r.optional_text(1).value_or(""), r.optional_text(2).value_or("")};
  });
}

constexpr std::string_view kRequested = "(SELECT id FROM tickets WHERE requester_id = ?)";

}  // namespace

Result<std::optional<ErasureSubject>> erasure_subject(Connection& c, std::int64_t user_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT name, email, locale, erased_at FROM users WHERE id = ? "
                               "AND role = 'customer'"));
  GONGDAN_ASSIGN(auto subject, read_first(q.bind(user_id), [&](const Query& r) {
                   return ErasureSubject{user_id,   r.text(0),     r.text(1),
                                         r.text(2), !r.is_null(3), {}};
                 }));
  if (!subject) return subject;
  GONGDAN_ASSIGN(auto values, query(c, "SELECT value FROM contact_identities WHERE user_id = ?"));
  GONGDAN_ASSIGN(subject->addresses, read_texts(values.bind(user_id)));
  return subject;
}

Result<std::vector<TextRow>> messages_to_erase(Connection& c, std::int64_t user_id, bool theirs) {
  static const std::string others = "SELECT id, body, html FROM messages WHERE ticket_id IN " +
                                    std::string(kRequested) +
                                    " AND (author_id IS NULL OR author_id <> ?) ORDER BY id";
  GONGDAN_ASSIGN(auto q, query(c, theirs ? "SELECT id, body, html FROM messages WHERE author_id "
                                           "= ? ORDER BY id"
                                         : std::string_view(others)));
  if (theirs)
    q.bind(user_id);
  else
    q.bind(user_id, user_id);
  return text_rows(q);
}

Result<void> set_message_text(Connection& c, std::int64_t id, std::string_view body,
                              std::string_view html) {
  return run(c, "UPDATE messages SET body = ?, html = ? WHERE id = ?", body, html, id);
}

Result<std::vector<TextRow>> requested_tickets(Connection& c, std::int64_t user_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT id, subject, tags FROM tickets WHERE requester_id = ? "
                               "ORDER BY id"));
  q.bind(user_id);
  return text_rows(q);
}

Result<void> set_ticket_subject(Connection& c, std::int64_t id, std::string_view subject) {
  return run(c, "UPDATE tickets SET subject = ? WHERE id = ?", subject, id);
}

Result<std::vector<TextRow>> events_to_scrub(Connection& c, std::int64_t user_id) {
  static const std::string sql =
      "SELECT id, old_value, new_value FROM ticket_events WHERE ticket_id IN " +
      std::string(kRequested) + " ORDER BY id";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  q.bind(user_id);
  return text_rows(q);
}

Result<void> set_event_values(Connection& c, std::int64_t id, std::string_view old_value,
                              std::string_view new_value) {
  return run(c, "UPDATE ticket_events SET old_value = ?, new_value = ? WHERE id = ?", old_value,
             new_value, id);
}

Result<std::int64_t> drop_contact_files(Connection& c, std::int64_t user_id, std::int64_t now) {
  static const std::string files =
      "SELECT a.id, a.sha256 FROM attachments a LEFT JOIN messages m ON m.id = a.message_id "
      "WHERE a.uploader_id = ? OR m.author_id = ?";
  static const std::string raws = "SELECT id, raw_sha256 FROM mail_messages WHERE ticket_id IN " +
                                  std::string(kRequested) + " AND raw_sha256 <> ''";
  static const std::string blank_mail =
      "UPDATE mail_messages SET raw_sha256 = '', raw_size = 0, from_address = '', subject = '', "
      "full_text = '', quoted_text = '', quoted_html = '' WHERE ticket_id IN " +
      std::string(kRequested);
  GONGDAN_ASSIGN(auto q, query(c, files));
  GONGDAN_ASSIGN(auto attachments, text_rows(q.bind(user_id, user_id)));
  GONGDAN_ASSIGN(auto r, query(c, raws));
  GONGDAN_ASSIGN(auto mails, text_rows(r.bind(user_id)));
  for (const auto* rows : {&attachments, &mails})
    for (const auto& row : *rows)
      GONGDAN_TRY(run(c,
                      "INSERT INTO blob_deletions (sha256, queued_at) VALUES (?, ?) "
                      "ON CONFLICT (sha256) DO NOTHING",
                      row.text, now));
  for (const auto& row : attachments)
    GONGDAN_TRY(run(c, "DELETE FROM attachments WHERE id = ?", row.id));
  GONGDAN_TRY(run(c, blank_mail, user_id));
  return static_cast<std::int64_t>(attachments.size());
}

Result<void> blank_contact_rows(Connection& c, const ErasureSubject& s, std::int64_t now) {
  const std::string requested(kRequested);
  const std::string on_requested = " WHERE ticket_id IN " + requested;
  for (const std::string& sql : {
           "UPDATE csat_requests SET comment = ''" + on_requested,
           "UPDATE call_logs SET number = '', recording_url = ''" + on_requested,
           "UPDATE inbound_events SET external_id = ''" + on_requested,
           "UPDATE outbound_im SET external_id = '', body = ''" + on_requested,
           // Mail still queued is left to go out (its job would fail without an address).
           "UPDATE outbound_mail SET to_address = '', to_name = '', cc_addresses = '', "
           "bcc_addresses = '', body = '', html = ''" +
               on_requested + " AND status <> 'queued'",
       })
    GONGDAN_TRY(run(c, sql, s.id));
  for (const char* sql : {
           "UPDATE chat_sessions SET ip = '' WHERE visitor_id = ?",
           "DELETE FROM contact_identities WHERE user_id = ?",
           "DELETE FROM provider_identities WHERE user_id = ?",
           "DELETE FROM external_identities WHERE user_id = ?",
           "DELETE FROM sessions WHERE user_id = ?",
           "DELETE FROM api_tokens WHERE user_id = ?",
           "DELETE FROM login_links WHERE user_id = ?",
           "DELETE FROM ticket_followers WHERE user_id = ?",
       })
    GONGDAN_TRY(run(c, sql, s.id));
  std::vector<std::string> emails = s.addresses;
  emails.push_back(s.email);
  for (const auto& e : emails) {
    GONGDAN_TRY(run(c, "DELETE FROM signup_requests WHERE email_norm = lower(?)", e));
    GONGDAN_TRY(run(c, "DELETE FROM login_failures WHERE email_norm = lower(?)", e));
  }
  const std::string email = erased_email(s.id);
  return run(c,
             "UPDATE users SET name = '', email = ?, email_norm = ?, notes = '', password_hash = "
             "NULL, active = 0, organization_id = NULL, updated_at = ?, erased_at = "
             "COALESCE(erased_at, ?) WHERE id = ?",
             email, email, now, now, s.id);
}

Result<std::vector<std::string>> queued_blob_deletions(Connection& c, int limit) {
  GONGDAN_ASSIGN(auto q, query(c, "SELECT sha256 FROM blob_deletions ORDER BY sha256 LIMIT ?"));
  return read_texts(q.bind(limit));
}

Result<bool> blob_still_named(Connection& c, std::string_view sha256) {
  GONGDAN_ASSIGN(auto n, select_count(c,
                                      "SELECT (SELECT COUNT(*) FROM attachments WHERE sha256 = ?) "
                                      "+ (SELECT COUNT(*) FROM mail_messages WHERE raw_sha256 = "
                                      "?) + (SELECT COUNT(*) FROM mail_quarantine WHERE "
                                      "raw_sha256 = ?) + (SELECT COUNT(*) FROM kb_files WHERE "
                                      "sha256 = ?)",
                                      sha256, sha256, sha256, sha256));
  return n > 0;
}

Result<void> forget_blob_deletion(Connection& c, std::string_view sha256) {
  return run(c, "DELETE FROM blob_deletions WHERE sha256 = ?", sha256);
}

}  // namespace gongdan::store
