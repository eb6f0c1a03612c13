// PrivacyService::erase_contact: one write erases what names the contact, so a failure leaves
// them as they were and a rerun starts over; the files their rows named are queued in that same
// write and removed from disk after it commits, by this call or a later one (a crash between
// the two leaves files queued, never rows pointing at missing files).

#include <filesystem>

#include <boost/json.hpp>

#include "domain/erasure.hpp"
#include "domain/search_text.hpp"
#include "services/audit.hpp"
#include "services/privacy_service.hpp"
#include "services/ticket_write.hpp"
#include "store/privacy_store.hpp"
#include "store/search_index.hpp"
#include "store/ticket_vectors_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

struct Erasing {
  store::Connection& c;
  store::SearchIndex& index;
  const store::ErasureSubject& subject;
  std::vector<std::string> needles;  // their name and addresses
  std::string word;                  // what replaces one of them
  ErasureReport& report;
};

Result<void> rewrite_message(Erasing& e, const store::TextRow& row, const std::string& body,
                             const std::string& html) {
  if (body == row.text && html == row.more) return {};
  GONGDAN_TRY(e.index.unindex_message(e.c, row.id, search::index_text(row.text)));
  GONGDAN_TRY(store::set_message_text(e.c, row.id, body, html));
  return e.index.index_message(e.c, row.id, search::index_text(body));
}

// Their own messages become the marker; everyone else's on their tickets lose their name.
Result<void> erase_messages(Erasing& e) {
  const auto marker = erased_message_marker(e.subject.locale);
  GONGDAN_ASSIGN(auto theirs, store::messages_to_erase(e.c, e.subject.id, true));
  for (const auto& row : theirs) GONGDAN_TRY(rewrite_message(e, row, marker, ""));
  e.report.messages = static_cast<std::int64_t>(theirs.size());
  GONGDAN_ASSIGN(auto others, store::messages_to_erase(e.c, e.subject.id, false));
  for (const auto& row : others)
    GONGDAN_TRY(rewrite_message(e, row, scrub(row.text, e.needles, e.word),
                                scrub(row.more, e.needles, e.word)));
  return {};
}

// Their tickets stay, with their name out of the subjects and the history.
Result<void> scrub_tickets(Erasing& e) {
  GONGDAN_ASSIGN(auto tickets, store::requested_tickets(e.c, e.subject.id));
  e.report.tickets = static_cast<std::int64_t>(tickets.size());
  for (const auto& t : tickets) {
    auto subject = scrub(t.text, e.needles, e.word);
    if (subject == t.text) continue;
    std::vector<std::string> tags;
    for (auto part : text::split(t.more, ' '))
      if (!part.empty()) tags.emplace_back(part);
    GONGDAN_TRY(e.index.unindex_ticket(e.c, t.id, search::index_text(t.text), tags_text(tags)));
    GONGDAN_TRY(store::set_ticket_subject(e.c, t.id, subject));
    GONGDAN_TRY(e.index.index_ticket(e.c, t.id, search::index_text(subject), tags_text(tags)));
  }
  GONGDAN_ASSIGN(auto events, store::events_to_scrub(e.c, e.subject.id));
  for (const auto& ev : events) {
    auto old_value = scrub(ev.text, e.needles, e.word);
    auto new_value = scrub(ev.more, e.needles, e.word);
    if (old_value != ev.text || new_value != ev.more)
      GONGDAN_TRY(store::set_event_values(e.c, ev.id, old_value, new_value));
  }
  return {};
}

Result<void> erase_in(Erasing& e, Millis now) {
  GONGDAN_TRY(erase_messages(e));
  GONGDAN_TRY(scrub_tickets(e));
  // The similar tickets' vectors of their tickets were made from the subjects as they were;
  // the next training makes them again from what is left.
  GONGDAN_TRY(store::drop_requester_vectors(e.c, e.subject.id));
  GONGDAN_ASSIGN(e.report.attachments, store::drop_contact_files(e.c, e.subject.id, now));
  if (!e.subject.erased)
    GONGDAN_TRY(e.index.unindex_contact(e.c, e.subject.id,
                                        search::contact_text(e.subject.name, e.subject.email)));
  return store::blank_contact_rows(e.c, e.subject, now);
}

std::string report_detail(const ErasureReport& r) {
  // Counts only: the audit log is kept, so it must not hold what was erased.
  return boost::json::serialize(boost::json::object{{"tickets", r.tickets},
                                                    {"messages", r.messages},
                                                    {"attachments", r.attachments},
                                                    {"again", r.already_erased}});
}

}  // namespace

Result<ErasureReport> PrivacyService::erase_contact(const Principal& who, std::int64_t id) {
  GONGDAN_TRY(require(who, Permission::kEraseData, "erase a contact"));
  const Millis now = clock_.now_ms();
  ErasureReport report;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    report = ErasureReport{id};  // a write retried in another batch starts over
    GONGDAN_ASSIGN(auto subject, store::erasure_subject(c, id));
    if (!subject) return fail(ErrorCode::kNotFound, "no such contact");
    report.already_erased = subject->erased;
    std::vector<std::string> values = subject->addresses;
    values.push_back(subject->name);
    values.push_back(subject->email);
    Erasing e{c,
              db_.search_index(),
              *subject,
              subject->erased ? std::vector<std::string>{} : erasure_needles(values),
              erased_word_marker(subject->locale),
              report};
    GONGDAN_TRY(erase_in(e, now));
    return record_audit(c, now, actor_id(who), "contact.erase", "user:" + std::to_string(id),
                        who.ip, report_detail(report));
  }));
  credentials_.evict(CredentialTarget::user(id));
  GONGDAN_ASSIGN(report.files_removed, remove_released_files());
  return report;
}

Result<std::int64_t> PrivacyService::remove_released_files() {
  std::int64_t removed = 0;
  GONGDAN_ASSIGN(auto queued, store::read_value(db_, [](store::Connection& c) {
                   return store::queued_blob_deletions(c, 10000);
                 }));
  for (const auto& sha : queued) {
    // Checked and forgotten in one write, so a file named again meanwhile (the same bytes
    // uploaded anew) is kept.
    bool named = true;
    GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
      GONGDAN_ASSIGN(named, store::blob_still_named(c, sha));
      return store::forget_blob_deletion(c, sha);
    }));
    if (named) continue;
    auto gone = files_.remove(sha);
    if (gone && *gone) ++removed;
  }
  return removed;
}

}  // namespace gongdan::services
