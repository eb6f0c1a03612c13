// MailIntakeService::deliver, the command that puts one parsed mail on a ticket, step by step.
// Before the write: the blobs on disk and the texts cut (prepare), and the agent's proof (prove).
// Inside one write: a duplicate is answered with what it duplicates; otherwise threading, the
// proof checked against the ticket, the sender's voice (bounce, unverified staff, outsider),
// then a new ticket or a message added, its attachments, and the mail's record.
#include "domain/search_text.hpp"
#include "domain/ticket_access.hpp"
#include "models/language_detector.hpp"
#include "services/mail_intake_service.hpp"
#include "services/mailboxes_service.hpp"
#include "services/outbox_service.hpp"
#include "services/reply_address.hpp"
#include "services/ticket_write.hpp"
#include "services/tickets_service.hpp"
#include "store/attachments_store.hpp"
#include "store/mail_settings_store.hpp"
#include "store/mail_store.hpp"
#include "store/messages_store.hpp"
#include "store/tickets_store.hpp"
#include "store/users_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {

struct MailIntakeService::Delivery {
  struct StoredPart {
    InboundAttachment meta;  // bytes moved out
    StoredBlob blob;
  };
  // Proof that an agent wrote: their reply address for a ticket among the recipients. Checked
  // (and the agent loaded) before the write; the write then requires From to be that agent.
  struct AgentProof {
    AgentReplyTag tag;
    Principal who;
    Viewer viewer;
  };
  // Where the mail lands and in whose voice, decided inside the write.
  struct Placement {
    std::optional<Ticket> ticket;
    std::optional<MailRecord> matched;  // the known mail this one answers
    bool claims_staff = false;          // From is a staff address
    bool verified = false;              // ... and the proof holds for `ticket`
    bool as_note = false;               // kept as an internal note without an author
  };

  Delivery(MailIntakeService& s, InboundMail& mail) : service(s), in(mail) {}

  MailIntakeService& service;
  InboundMail& in;
  std::shared_ptr<const Catalog> catalog;
  const Principal who = Principal::system();
  StoredBlob raw_blob;
  std::vector<StoredPart> parts;
  std::string subject;
  std::string body;
  std::string subject_index;
  std::string body_index;
  std::optional<AgentProof> proof;
  MailOutcome outcome;

  Result<void> prepare();
  Result<void> prove();
  Result<void> write(store::Connection& c);

  Result<Placement> thread(store::Connection& c);
  Result<void> check_proof(store::Connection& c, std::int64_t person_id, Placement& at);
  Result<void> take_bounce(store::Connection& c, const Placement& at);
  Result<void> admit_outsider(store::Connection& c, TicketWrite& w, std::int64_t person_id,
                              Placement& at);
  Result<void> follow_copied(store::Connection& c, TicketWrite& w, std::int64_t person_id,
                             const Ticket& ticket);
  Result<Message> open_ticket(store::Connection& c, TicketWrite& w,
                              const TicketWrite::Person& person, Message m, Placement& at);
  Result<Message> add_to_ticket(store::Connection& c, TicketWrite& w, Message m, Placement& at);
  Result<void> store_attachments(store::Connection& c, Message& added, Millis now);
  Result<void> record_mail(store::Connection& c, const Ticket& ticket, const Message& added,
                           Millis now);
};

namespace {

std::string mail_subject(std::string_view subject) {
  std::string s = text::cut_utf8(text::strip_controls(text::trim(subject)), kMaxSubjectLength);
  return text::trim(s).empty() ? std::string("(no subject)") : s;
}

// Follows merges so that a reply to a merged ticket lands on the ticket it was merged into.
Result<std::optional<Ticket>> follow_merges(store::Connection& c, std::optional<Ticket> t) {
  for (int hops = 0; t && t->merged_into && hops < 10; ++hops) {
    GONGDAN_ASSIGN(t, store::find_ticket_by_number(c, *t->merged_into));
  }
  return t;
}

// What a trusted mailbox's X-Gongdan-* headers may set on a new ticket. Unknown values are
// ignored, not errors: the mail is still taken in.
void apply_trusted_headers(const std::vector<std::pair<std::string, std::string>>& headers,
                           Ticket& t) {
  for (const auto& [name, value] : headers) {
    const std::string key = text::to_lower_ascii(name);
    const std::string v = text::to_lower_ascii(text::trim(value));
    if (key == "x-gongdan-priority") {
      if (auto p = parse_priority(v)) t.priority = *p;
    } else if (key == "x-gongdan-type") {
      if (auto ty = parse_type(v)) t.type = *ty;
    } else if (key == "x-gongdan-tags") {
      std::vector<std::string> tags;
      for (auto tag : text::split(value, ',')) {
        auto trimmed = text::trim(tag);
        if (!trimmed.empty()) tags.push_back(trimmed);
      }
      if (auto normalized = normalize_tags(tags)) t.tags = *normalized;
    }
  }
}

void add_mail_flag(std::string& flags, std::string_view flag) {
  if (!flags.empty()) flags += "; ";
  flags += flag;
}

// Removes every occurrence of `needle` from `text`.
void erase_all(std::string& text, std::string_view needle) {
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos))
    text.erase(pos, needle.size());
}

// Points inline images at their download URL: whole `cid:<content_id>` references only (the
// next character must end the attribute value).
void repoint_inline_image(std::string& html, std::string_view content_id,
                          std::int64_t attachment_id) {
  const std::string from = "cid:" + std::string(content_id);
  const std::string to = "/api/v1/attachments/" + std::to_string(attachment_id);
  for (auto pos = html.find(from); pos != std::string::npos; pos = html.find(from, pos)) {
    const auto end = pos + from.size();
    if (end < html.size() && html[end] != '"' && html[end] != '\'') {
      pos = end;
      continue;
    }
    html.replace(pos, from.size(), to);
    pos += to.size();
  }
}

}  // namespace

Result<MailOutcome> MailIntakeService::deliver(InboundMail in) {
  if (in.message_id.empty())
    return fail(ErrorCode::kInvalidArgument, "the message has no Message-ID", "message_id");
  Delivery d(*this, in);
  GONGDAN_ASSIGN(d.catalog, directory_.catalog());
  if (in.department_id && !d.catalog->department(*in.department_id))
    return fail(ErrorCode::kInvalidArgument, "no such department", "department");
  GONGDAN_TRY(d.prepare());
  GONGDAN_TRY(d.prove());
  GONGDAN_TRY(db_.write([&](store::Connection& c) { return d.write(c); }));
  return d.outcome;
}

// Blobs are durable before the rows that name them commit (attachment_files.hpp); the texts are
// cut, cleaned and indexed here so that the single writer thread does not spend its time on them.
Result<void> MailIntakeService::Delivery::prepare() {
  GONGDAN_ASSIGN(raw_blob, service.files_.put(in.raw));
  for (auto& a : in.attachments) {
    if (a.bytes.empty()) continue;
    GONGDAN_ASSIGN(auto blob, service.files_.put(a.bytes));
    StoredPart part{std::move(a), blob};
    part.meta.bytes.clear();
    parts.push_back(std::move(part));
  }
  subject = mail_subject(in.subject);
  body = text::cut_utf8(text::strip_controls(in.text, true), kMaxBodyLength);
  if (text::trim(body).empty() && in.html.empty()) body = "(empty message)";
  subject_index = search::index_text(subject);
  body_index = search::index_text(body);
  return {};
}

Result<void> MailIntakeService::Delivery::prove() {
  if (!service.signer_) return {};
  auto tag = verified_reply_tag(*service.signer_, in.recipients);
  if (!tag) return {};
  GONGDAN_ASSIGN(auto user, store::read_value(service.db_, [&](store::Connection& c) {
                   return store::find_user(c, tag->agent_id);
                 }));
  if (!user || !user->active || !is_agent_role(user->role)) return {};
  Principal agent;
  agent.user = *user;
  GONGDAN_ASSIGN(auto viewer, service.directory_.viewer(agent));
  proof = AgentProof{*tag, std::move(agent), std::move(viewer)};
  return {};
}

Result<void> MailIntakeService::Delivery::write(store::Connection& c) {
  GONGDAN_ASSIGN(auto seen, store::find_mail_by_message_id(c, in.message_id));
  if (seen) {
    GONGDAN_ASSIGN(auto ticket, store::find_ticket(c, seen->ticket_id));
    outcome = {MailResult::kDuplicate, ticket ? ticket->number : 0,
               seen->ticket_message_id.value_or(0)};
    return {};
  }
  GONGDAN_ASSIGN(Placement at, thread(c));
  const Millis now = service.clock_.now_ms();
  TicketWrite w{c, *catalog, who, now, "email", service.db_, service.hooks_};
  GONGDAN_ASSIGN(auto person, w.resolve_requester(Requester{in.from_email, in.from_name}));
  GONGDAN_ASSIGN(auto sender, store::find_user(c, person.id));
  at.claims_staff = sender && sender->role != Role::kCustomer;
  if (proof) GONGDAN_TRY(check_proof(c, person.id, at));
  // A From header is easy to forge: without proof, mail from a staff address never speaks as
  // the agent on a ticket. It is kept as an internal note without an author, flagged for the
  // agents to check.
  if (at.claims_staff && !at.verified) {
    add_mail_flag(in.flags, "unverified sender: an agent's address, without proof");
    at.as_note = at.ticket.has_value();
  }
  // A bounce about our mail belongs on that ticket, whoever the mailer daemon is.
  if (in.bounce && at.ticket) {
    at.as_note = true;
    GONGDAN_TRY(take_bounce(c, at));
  }
  if (at.ticket && !at.as_note && !at.verified && at.ticket->requester_id != person.id)
    GONGDAN_TRY(admit_outsider(c, w, person.id, at));
  if (!at.ticket && !in.may_open_ticket)
    return fail(ErrorCode::kConflict,
                "an automatic message (auto-reply or bounce) that belongs to no ticket");

  Message m;
  m.author_id = person.id;
  m.body = body;
  m.html = in.html;
  m.channel = "email";
  if (at.as_note) {
    m.author_id.reset();
    m.internal = true;
  }
  Message added;
  if (!at.ticket) {
    GONGDAN_ASSIGN(added, open_ticket(c, w, person, std::move(m), at));
  } else {
    GONGDAN_ASSIGN(added, add_to_ticket(c, w, std::move(m), at));
  }
  GONGDAN_TRY(store_attachments(c, added, now));
  GONGDAN_TRY(record_mail(c, *at.ticket, added, now));
  // Only what the ticket's own people write brings their Cc along (not a note kept aside).
  if (!at.as_note && !at.claims_staff) GONGDAN_TRY(follow_copied(c, w, person.id, *at.ticket));
  outcome.ticket_number = at.ticket->number;
  outcome.message_id = added.id;
  const bool created = outcome.result == MailResult::kCreated;
  return w.publish(service.events_, created ? "ticket.created" : "message.created", *at.ticket,
                   added, created);
}

// Threading, in order: a Message-ID we know in In-Reply-To/References, then the subject's ticket
// token; then along merges.
Result<MailIntakeService::Delivery::Placement> MailIntakeService::Delivery::thread(
    store::Connection& c) {
  Placement at;
  for (const auto& id : in.thread_ids) {
    GONGDAN_ASSIGN(auto known, store::find_mail_by_message_id(c, id));
    if (!known) continue;
    GONGDAN_ASSIGN(at.ticket, store::find_ticket(c, known->ticket_id));
    if (at.ticket) {
      at.matched = std::move(known);
      break;
    }
  }
  if (!at.ticket && in.token_number) {
    GONGDAN_ASSIGN(at.ticket, store::find_ticket_by_number(c, *in.token_number));
  }
  GONGDAN_ASSIGN(at.ticket, follow_merges(c, std::move(at.ticket)));
  return at;
}

// Verified: From is the agent whose reply address the mail was sent to, and that agent may
// answer the ticket the address names (which wins over any threading headers).
Result<void> MailIntakeService::Delivery::check_proof(store::Connection& c, std::int64_t person_id,
                                                      Placement& at) {
  GONGDAN_ASSIGN(auto tagged, store::find_ticket_by_number(c, proof->tag.ticket_number));
  GONGDAN_ASSIGN(tagged, follow_merges(c, std::move(tagged)));
  bool follows = false;
  if (tagged) {
    GONGDAN_ASSIGN(follows, store::is_follower(c, tagged->id, proof->who.user.id));
  }
  if (tagged && person_id == proof->who.user.id &&
      can_see_ticket(proof->viewer, *tagged, follows) && can_reply_publicly(proof->viewer)) {
    at.ticket = std::move(tagged);
    at.verified = true;
    // The customer must never learn the address (it is the proof): not from a quoted header
    // line in the agent's text either.
    for (auto* part : {&body, &in.html}) erase_all(*part, proof->tag.text);
    body_index = search::index_text(body);
    add_mail_flag(in.flags, "verified sender: the agent's reply address");
  } else if (!at.ticket && tagged) {
    // Someone else wrote to an agent's address: it names the ticket, it proves nobody.
    at.ticket = std::move(tagged);
  }
  return {};
}

// The outgoing mail a bounce reports on shows "failed" on its message.
Result<void> MailIntakeService::Delivery::take_bounce(store::Connection& c, const Placement& at) {
  if (!at.matched || at.matched->direction != "out") return {};
  GONGDAN_ASSIGN(bool marked,
                 store::mark_outbound_bounced(
                     c, at.matched->message_id,
                     text::cut_utf8("bounced: " + text::strip_controls(in.bounce_report), 1000)));
  if (marked) add_mail_flag(in.flags, "bounce of our mail " + at.matched->message_id);
  return {};
}

// Someone else answering the thread joins the ticket only where its settings allow, and only
// with one of the ticket's Message-IDs (a subject token alone is easy to type).
Result<void> MailIntakeService::Delivery::admit_outsider(store::Connection& c, TicketWrite& w,
                                                         std::int64_t person_id, Placement& at) {
  GONGDAN_ASSIGN(bool follows, store::is_follower(c, at.ticket->id, person_id));
  if (follows) return {};
  std::string policy(kOutsideNewTicket);
  if (at.matched) {
    GONGDAN_ASSIGN(policy, effective_outside_replies(c, *at.ticket));
  }
  if (policy == kOutsideFollower) {
    GONGDAN_TRY(store::add_follower(c, at.ticket->id, person_id));
    GONGDAN_TRY(w.event(at.ticket->id, "followers", std::nullopt, std::to_string(person_id)));
    add_mail_flag(in.flags, "outside sender: added as a follower");
  } else {
    at.ticket.reset();  // a stranger's "reply" never lands on someone's ticket
  }
  return {};
}

// The people a customer copies stay on the conversation: followers, who get the replies (Cc).
// Our own addresses (and agents' tagged reply addresses) are not people; agents' addresses
// are left out too (they follow from the desk, not by being copied).
Result<void> MailIntakeService::Delivery::follow_copied(store::Connection& c, TicketWrite& w,
                                                        std::int64_t person_id,
                                                        const Ticket& ticket) {
  std::size_t added = 0;
  for (const auto& [address, name] : in.cc) {
    if (added >= kMaxMailCopies) break;
    const std::string lower = text::to_lower_ascii(address);
    if (!text::looks_like_email(lower)) continue;
    std::string untagged = lower;
    if (auto plus = untagged.find('+'), at = untagged.rfind('@');
        plus < at && at != std::string::npos)
      untagged.erase(plus, at - plus);
    GONGDAN_ASSIGN(bool ours, is_own_address(c, untagged));
    if (ours) continue;
    auto person = w.resolve_requester(Requester{lower, name});
    if (!person) continue;  // a name that is not text: the copy is only skipped
    if (person->id == person_id || person->id == ticket.requester_id) continue;
    GONGDAN_ASSIGN(auto user, store::find_user(c, person->id));
    if (!user || user->role != Role::kCustomer) continue;
    GONGDAN_ASSIGN(bool follows, store::is_follower(c, ticket.id, person->id));
    if (follows) continue;
    GONGDAN_TRY(store::add_follower(c, ticket.id, person->id));
    GONGDAN_TRY(w.event(ticket.id, "followers", std::nullopt, std::to_string(person->id)));
    ++added;
  }
  return {};
}

Result<Message> MailIntakeService::Delivery::open_ticket(store::Connection& c, TicketWrite& w,
                                                         const TicketWrite::Person& person,
                                                         Message m, Placement& at) {
  Ticket t;
  t.subject = subject;
  t.channel = "email";
  t.department_id = in.department_id;
  t.requester_id = person.id;
  t.organization_id = person.organization_id;
  apply_trusted_headers(in.trusted_headers, t);
  // Known before the creation triggers run, as for a ticket made in the portal or the API.
  if (m.author_id == person.id)
    t.language = models::detect_language(t.subject + "\n" + m.body).value_or("");
  const Status* status = catalog->default_status(StatusCategory::kNew);
  if (!status) return fail(ErrorCode::kInternal, "no status of category new");
  set_status(t, *status, w.now);
  std::optional<AssignmentChoice> assigned;
  if (t.department_id && service.assigner_) {
    GONGDAN_ASSIGN(assigned, service.assigner_->assign(c, t, "ticket_created"));
    if (assigned) t.assignee_id = assigned->agent_id;
  }
  GONGDAN_ASSIGN(Ticket created, w.insert(t, subject_index));
  if (assigned) GONGDAN_TRY(record_assignment(c, created.id, w.now, *assigned, true));
  GONGDAN_ASSIGN(Message added, w.add_message(created, std::move(m), false, body_index));
  // The creation triggers, in this write, as for a ticket made in the desk, the portal or the API.
  if (service.tickets_) {
    GONGDAN_ASSIGN(created, service.tickets_->run_creation_triggers(c, created, added));
  }
  at.ticket = created;
  outcome.result = MailResult::kCreated;
  if (service.outbox_ && in.may_auto_reply && !at.claims_staff)
    GONGDAN_TRY(
        service.outbox_->acknowledge(c, created, in.from_email, in.from_name, in.message_id));
  return added;
}

Result<Message> MailIntakeService::Delivery::add_to_ticket(store::Connection& c, TicketWrite& w,
                                                           Message m, Placement& at) {
  Ticket before = *at.ticket;
  Ticket after = before;
  if (at.verified) {
    // The agent's answer, as from the desk: a new ticket becomes open.
    if (before.category == StatusCategory::kNew)
      if (const auto* open = catalog->default_status(StatusCategory::kOpen))
        set_status(after, *open, w.now);
  } else if (!at.as_note &&
             (!is_unsolved(before.category) || before.category == StatusCategory::kPending)) {
    // The customer wrote back: the ticket needs an agent again.
    if (const auto* open = catalog->default_status(StatusCategory::kOpen))
      set_status(after, *open, w.now);
  }
  std::optional<TicketWrite> agent_write;
  if (at.verified)
    agent_write.emplace(
        TicketWrite{c, *catalog, proof->who, w.now, "email", service.db_, service.hooks_});
  TicketWrite& tw = agent_write ? *agent_write : w;
  GONGDAN_ASSIGN(Message added, tw.add_message(after, std::move(m), at.verified, body_index));
  GONGDAN_TRY(tw.event(before.id, at.as_note ? "internal_note" : "message", std::nullopt,
                       std::to_string(added.id)));
  GONGDAN_ASSIGN(at.ticket, tw.save(before, after));
  // Sent on to the requester like any reply from the desk.
  if (at.verified && service.outbox_)
    GONGDAN_TRY(service.outbox_->on_public_reply(c, *at.ticket, added, {}));
  outcome.result = MailResult::kAdded;
  return added;
}

// Attachments, and inline images re-pointed from cid: to their download URL.
Result<void> MailIntakeService::Delivery::store_attachments(store::Connection& c, Message& added,
                                                            Millis now) {
  std::string html = added.html;
  for (const auto& part : parts) {
    Attachment row;
    row.sha256 = part.blob.sha256;
    row.size = static_cast<std::int64_t>(part.blob.size);
    row.content_type = part.blob.detected_type;
    row.claimed_type = part.meta.content_type;
    row.filename = part.meta.filename;
    row.message_id = added.id;
    row.created_at = now;
    GONGDAN_ASSIGN(row.id, store::insert_attachment(c, row));
    if (!part.meta.content_id.empty()) repoint_inline_image(html, part.meta.content_id, row.id);
  }
  if (html != added.html) {
    GONGDAN_TRY(store::set_message_html(c, added.id, html));
    added.html = html;
  }
  return {};
}

Result<void> MailIntakeService::Delivery::record_mail(store::Connection& c, const Ticket& ticket,
                                                      const Message& added, Millis now) {
  MailRecord record;
  record.message_id = in.message_id;
  record.ticket_id = ticket.id;
  record.ticket_message_id = added.id;
  record.direction = "in";
  record.raw_sha256 = raw_blob.sha256;
  record.raw_size = static_cast<std::int64_t>(raw_blob.size);
  record.from_address = in.from_email;
  record.subject = text::cut_utf8(text::strip_controls(in.subject), 2000);
  record.full_text = text::cut_utf8(in.full_text, 4 * kMaxBodyLength);
  record.quoted_text = text::cut_utf8(in.quoted_text, 4 * kMaxBodyLength);
  record.quoted_html = text::cut_utf8(in.quoted_html, 4 * kMaxBodyLength);
  record.flags = text::cut_utf8(in.flags, 4000);
  record.created_at = now;
  GONGDAN_TRY(store::insert_mail_record(c, record));
  return {};
}

}  // namespace gongdan::services
