// What gongdan holds about one contact, read for their data export (GDPR article 15/20), and the
// writes that erase it (article 17). Rows come back as plain records of named cells, one list
// per section, because the export shows them as they are stored and nothing else reads them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "store/database.hpp"

namespace gongdan::store {

using Cell = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
using Record = std::vector<std::pair<std::string, Cell>>;

// Sections: contact, identities, provider_identities, sign_in_identities, organization,
// tickets (requested or followed), messages (written, or public on their tickets),
// attachments (of those messages, with sha256), csat, chats, calls, audit (about or by them).
// Empty when there is no contact (customer) of that id.
Result<std::map<std::string, std::vector<Record>>> contact_records(Connection& c,
                                                                   std::int64_t user_id);

}  // namespace gongdan::store

namespace gongdan::store {

// What erasure needs to know of a contact before it starts.
struct ErasureSubject {
  std::int64_t id = 0;
  std::string name;
  std::string email;
  std::string locale;
  bool erased = false;                 // an earlier erasure committed
  std::vector<std::string> addresses;  // other emails and phones
};
Result<std::optional<ErasureSubject>> erasure_subject(Connection& c, std::int64_t user_id);

// Rows of (id, text, second text) of one kind, for rewriting in place.
struct TextRow {
  std::int64_t id = 0;
  std::string text;
  std::string more;
};
// theirs: the messages they wrote anywhere; otherwise everyone else's messages on the tickets
// they requested. Rows of (id, body, html).
Result<std::vector<TextRow>> messages_to_erase(Connection& c, std::int64_t user_id, bool theirs);
Result<void> set_message_text(Connection& c, std::int64_t id, std::string_view body,
                              std::string_view html);
// Subjects (text) and tags (more) of the tickets they requested.
Result<std::vector<TextRow>> requested_tickets(Connection& c, std::int64_t user_id);
Result<void> set_ticket_subject(Connection& c, std::int64_t id, std::string_view subject);
// History values (text: old, more: new) on the tickets they requested.
Result<std::vector<TextRow>> events_to_scrub(Connection& c, std::int64_t user_id);
Result<void> set_event_values(Connection& c, std::int64_t id, std::string_view old_value,
                              std::string_view new_value);
// Deletes the attachments they uploaded or that sit on their messages, and the mail kept for
// the messages of their tickets (raw bytes, headers, text); queues the blobs that held them.
// Returns how many attachments went.
Result<std::int64_t> drop_contact_files(Connection& c, std::int64_t user_id, std::int64_t now);
// The rest, in SQL alone: CSAT comments, chat IPs, call numbers, provider ids, mail sent to
// them, their identities, sessions, tokens and follows, and the contact row itself.
Result<void> blank_contact_rows(Connection& c, const ErasureSubject& subject, std::int64_t now);

// Blobs an erasure or a retention run let go: each removed from disk once no row names it.
Result<std::vector<std::string>> queued_blob_deletions(Connection& c, int limit);
Result<bool> blob_still_named(Connection& c, std::string_view sha256);
Result<void> forget_blob_deletion(Connection& c, std::string_view sha256);

}  // namespace gongdan::store
