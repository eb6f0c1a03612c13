#include "services/mail_intake_service.hpp"

#include "domain/search_text.hpp"
#include "domain/ticket_access.hpp"
#include "services/outbox_service.hpp"
#include "services/reply_address.hpp"
#include "services/ticket_write.hpp"
#include "store/attachments_store.hpp"
#include "store/mail_settings_store.hpp"
#include "store/messages_store.hpp"
#include "store/tickets_store.hpp"
#include "store/users_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

// Cuts to at most `max` bytes on a UTF-8 character boundary.
std::string cut_utf8(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  s.resize(end);
  return s;
}

std::string mail_subject(std::string_view subject) {
  std::string s = cut_utf8(text::strip_controls(text::trim(subject)), kMaxSubjectLength);
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

void add_flag(std::string& flags, std::string_view flag) {
  if (!flags.empty()) flags += "; ";
  flags += flag;
}

struct StoredPart {
  InboundAttachment meta;  // bytes moved out
  StoredBlob blob;
};

}  // namespace

Result<MailOutcome> MailIntakeService::deliver(InboundMail in) {
  if (in.message_id.empty())
    return fail(ErrorCode::kInvalidArgument, "the message has no Message-ID", "message_id");
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  if (in.department_id && !catalog->department(*in.department_id))
    return fail(ErrorCode::kInvalidArgument, "no such department", "department");
  // Blobs are durable before the rows that name them commit (attachment_files.hpp).
  GONGDAN_ASSIGN(auto raw_blob, files_.put(in.raw));
  std::vector<StoredPart> parts;
  for (auto& a : in.attachments) {
    if (a.bytes.empty()) continue;
    GONGDAN_ASSIGN(auto blob, files_.put(a.bytes));
    StoredPart part{std::move(a), blob};
    part.meta.bytes.clear();
    parts.push_back(std::move(part));
  }
  const std::string subject = mail_subject(in.subject);
  std::string body = cut_utf8(text::strip_controls(in.text, true), kMaxBodyLength);
  if (text::trim(body).empty() && in.html.empty()) body = "(empty message)";
  const std::string subject_index = search::index_text(subject);
  std::string body_index = search::index_text(body);
  const Principal who = Principal::system();

  // Proof that an agent wrote: their reply address for a ticket among the recipients. Checked
  // (and the agent loaded) before the write; the write then requires From to be that agent.
  struct AgentProof {
    AgentReplyTag tag;
    Principal who;
    Viewer viewer;
  };
  std::optional<AgentProof> proof;
  if (signer_) {
    if (auto tag = verified_reply_tag(*signer_, in.recipients)) {
      GONGDAN_ASSIGN(auto user, store::read_value(db_, [&](store::Connection& c) {
                       return store::find_user(c, tag->agent_id);
                     }));
      if (user && user->active && is_agent_role(user->role)) {
        Principal agent;
        agent.user = *user;
        GONGDAN_ASSIGN(auto viewer, directory_.viewer(agent));
        proof = AgentProof{*tag, std::move(agent), std::move(viewer)};
      }
    }
  }

  MailOutcome outcome;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto seen, store::find_mail_by_message_id(c, in.message_id));
    if (seen) {
      GONGDAN_ASSIGN(auto ticket, store::find_ticket(c, seen->ticket_id));
      outcome = {MailResult::kDuplicate, ticket ? ticket->number : 0,
                 seen->ticket_message_id.value_or(0)};
      return {};
    }
    std::optional<Ticket> ticket;
    std::optional<store::MailRecord> matched;  // the known mail this one answers
    for (const auto& id : in.thread_ids) {
      GONGDAN_ASSIGN(auto known, store::find_mail_by_message_id(c, id));
      if (!known) continue;
      GONGDAN_ASSIGN(ticket, store::find_ticket(c, known->ticket_id));
      if (ticket) {
        matched = std::move(known);
        break;
      }
    }
    if (!ticket && in.token_number) {
      GONGDAN_ASSIGN(ticket, store::find_ticket_by_number(c, *in.token_number));
    }
    GONGDAN_ASSIGN(ticket, follow_merges(c, std::move(ticket)));
    const Millis now = clock_.now_ms();
    TicketWrite w{c, *catalog, who, now, "email", db_.search_index(), hooks_};
    GONGDAN_ASSIGN(auto person, w.resolve_requester(Requester{in.from_email, in.from_name}));
    GONGDAN_ASSIGN(auto sender, store::find_user(c, person.id));
    const bool claims_staff = sender && sender->role != Role::kCustomer;
    // Verified: From is the agent whose reply address the mail was sent to, and that agent may
    // answer the ticket the address names (which wins over any threading headers).
    bool verified = false;
    if (proof) {
      GONGDAN_ASSIGN(auto tagged, store::find_ticket_by_number(c, proof->tag.ticket_number));
      GONGDAN_ASSIGN(tagged, follow_merges(c, std::move(tagged)));
      bool follows = false;
      if (tagged) {
        GONGDAN_ASSIGN(follows, store::is_follower(c, tagged->id, proof->who.user.id));
      }
      if (tagged && person.id == proof->who.user.id &&
          can_see_ticket(proof->viewer, *tagged, follows) && can_reply_publicly(proof->viewer)) {
        ticket = std::move(tagged);
        verified = true;
        // The customer must never learn the address (it is the proof): not from a quoted
        // header line in the agent's text either.
        for (auto* part : {&body, &in.html}) {
          for (auto pos = part->find(proof->tag.text); pos != std::string::npos;
               pos = part->find(proof->tag.text, pos))
            part->erase(pos, proof->tag.text.size());
        }
        body_index = search::index_text(body);
        add_flag(in.flags, "verified sender: the agent's reply address");
      } else if (!ticket && tagged) {
        // Someone else wrote to an agent's address: it names the ticket, it proves nobody.
        ticket = std::move(tagged);
      }
    }
    // A From header is easy to forge: without proof, mail from a staff address never speaks as
    // the agent on a ticket. It is kept as an internal note without an author, flagged for the
    // agents to check.
    bool as_note = false;
    if (claims_staff && !verified) {
      add_flag(in.flags, "unverified sender: an agent's address, without proof");
      as_note = ticket.has_value();
    }
    // A bounce about our mail belongs on that ticket, whoever the mailer daemon is; the
    // outgoing mail it reports on shows "failed" on its message.
    if (in.bounce && ticket) {
      as_note = true;
      if (matched && matched->direction == "out") {
        GONGDAN_ASSIGN(bool marked,
                       store::mark_outbound_bounced(
                           c, matched->message_id,
                           cut_utf8("bounced: " + text::strip_controls(in.bounce_report), 1000)));
        if (marked) add_flag(in.flags, "bounce of our mail " + matched->message_id);
      }
    }
    if (ticket && !as_note && !verified && ticket->requester_id != person.id) {
      GONGDAN_ASSIGN(bool follows, store::is_follower(c, ticket->id, person.id));
      // Someone else answering the thread joins the ticket only where its settings allow, and
      // only with one of the ticket's Message-IDs (a subject token alone is easy to type).
      std::string policy(kOutsideNewTicket);
      if (!follows && matched) {
        GONGDAN_ASSIGN(policy, effective_outside_replies(c, *ticket));
      }
      if (!follows && policy == kOutsideFollower) {
        GONGDAN_TRY(store::add_follower(c, ticket->id, person.id));
        GONGDAN_TRY(w.event(ticket->id, "followers", std::nullopt, std::to_string(person.id)));
        add_flag(in.flags, "outside sender: added as a follower");
      } else if (!follows) {
        ticket.reset();  // a stranger's "reply" never lands on someone's ticket
      }
    }
    if (!ticket && !in.may_open_ticket)
      return fail(ErrorCode::kConflict,
                  "an automatic message (auto-reply or bounce) that belongs to no ticket");

    Message m;
    m.author_id = person.id;
    m.body = body;
    m.html = in.html;
    m.channel = "email";
    if (as_note) {
      m.author_id.reset();
      m.internal = true;
    }
    Message added;
    if (!ticket) {
      Ticket t;
      t.subject = subject;
      t.channel = "email";
      t.department_id = in.department_id;
      t.requester_id = person.id;
      t.organization_id = person.organization_id;
      apply_trusted_headers(in.trusted_headers, t);
      const Status* status = catalog->default_status(StatusCategory::kNew);
      if (!status) return fail(ErrorCode::kInternal, "no status of category new");
      set_status(t, *status, now);
      std::optional<AssignmentChoice> assigned;
      if (t.department_id && assigner_) {
        GONGDAN_ASSIGN(assigned, assigner_->assign(c, t, "ticket created"));
        if (assigned) t.assignee_id = assigned->agent_id;
      }
      GONGDAN_ASSIGN(Ticket created, w.insert(t, subject_index));
      if (assigned) GONGDAN_TRY(record_assignment(c, created.id, now, *assigned, true));
      GONGDAN_ASSIGN(added, w.add_message(created, std::move(m), false, body_index));
      ticket = created;
      outcome.result = MailResult::kCreated;
      if (outbox_ && in.may_auto_reply && !claims_staff)
        GONGDAN_TRY(outbox_->acknowledge(c, created, in.from_email, in.from_name, in.message_id));
    } else {
      Ticket before = *ticket;
      Ticket after = before;
      if (verified) {
        // The agent's answer, as from the desk: a new ticket becomes open.
        if (before.category == StatusCategory::kNew)
          if (const auto* open = catalog->default_status(StatusCategory::kOpen))
            set_status(after, *open, now);
      } else if (!as_note &&
                 (!is_unsolved(before.category) || before.category == StatusCategory::kPending)) {
        // The customer wrote back: the ticket needs an agent again.
        if (const auto* open = catalog->default_status(StatusCategory::kOpen))
          set_status(after, *open, now);
      }
      std::optional<TicketWrite> agent_write;
      if (verified)
        agent_write.emplace(
            TicketWrite{c, *catalog, proof->who, now, "email", db_.search_index(), hooks_});
      TicketWrite& tw = agent_write ? *agent_write : w;
      GONGDAN_ASSIGN(added, tw.add_message(after, std::move(m), verified, body_index));
      GONGDAN_TRY(tw.event(before.id, as_note ? "internal_note" : "message", std::nullopt,
                           std::to_string(added.id)));
      GONGDAN_ASSIGN(ticket, tw.save(before, after));
      // Sent on to the requester like any reply from the desk.
      if (verified && outbox_) GONGDAN_TRY(outbox_->on_public_reply(c, *ticket, added));
      outcome.result = MailResult::kAdded;
    }
    // Attachments, and inline images re-pointed from cid: to their download URL.
    std::string html = added.html;
    for (const auto& part : parts) {
      store::AttachmentRow row;
      row.sha256 = part.blob.sha256;
      row.size = static_cast<std::int64_t>(part.blob.size);
      row.content_type = part.blob.detected_type;
      row.claimed_type = part.meta.content_type;
      row.filename = part.meta.filename;
      row.message_id = added.id;
      row.created_at = now;
      GONGDAN_ASSIGN(row.id, store::insert_attachment(c, row));
      if (!part.meta.content_id.empty()) {
        const std::string from = "cid:" + part.meta.content_id;
        const std::string to = "/api/v1/attachments/" + std::to_string(row.id);
        for (auto pos = html.find(from); pos != std::string::npos; pos = html.find(from, pos)) {
          // Only whole references: the next character must end the attribute value.
          const auto end = pos + from.size();
          if (end < html.size() && html[end] != '"' && html[end] != '\'') {
            pos = end;
            continue;
          }
          html.replace(pos, from.size(), to);
          pos += to.size();
        }
      }
    }
    if (html != added.html) {
      GONGDAN_TRY(store::set_message_html(c, added.id, html));
      added.html = html;
    }
    store::MailRecord record;
    record.message_id = in.message_id;
    record.ticket_id = ticket->id;
    record.ticket_message_id = added.id;
    record.direction = "in";
    record.raw_sha256 = raw_blob.sha256;
    record.raw_size = static_cast<std::int64_t>(raw_blob.size);
    record.from_address = in.from_email;
    record.subject = cut_utf8(text::strip_controls(in.subject), 2000);
    record.full_text = cut_utf8(in.full_text, 4 * kMaxBodyLength);
    record.quoted_text = cut_utf8(in.quoted_text, 4 * kMaxBodyLength);
    record.quoted_html = cut_utf8(in.quoted_html, 4 * kMaxBodyLength);
    record.flags = cut_utf8(in.flags, 4000);
    record.created_at = now;
    GONGDAN_TRY(store::insert_mail_record(c, record));
    outcome.ticket_number = ticket->number;
    outcome.message_id = added.id;
    GONGDAN_TRY(w.publish(
        events_, outcome.result == MailResult::kCreated ? "ticket.created" : "message.created",
        *ticket, added, outcome.result == MailResult::kCreated));
    return {};
  }));
  return outcome;
}

Result<std::int64_t> MailIntakeService::quarantine(std::string_view raw,
                                                   std::optional<std::int64_t> department_id,
                                                   std::string_view reason) {
  GONGDAN_ASSIGN(auto blob, files_.put(raw));
  store::QuarantineRow row;
  row.raw_sha256 = blob.sha256;
  row.raw_size = static_cast<std::int64_t>(blob.size);
  row.department_id = department_id;
  row.reason = cut_utf8(text::strip_controls(reason), 2000);
  row.status = "held";
  row.attempts = 1;
  row.created_at = row.updated_at = clock_.now_ms();
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(row.id, store::insert_quarantine(c, row));
    return {};
  }));
  return row.id;
}

Result<std::vector<store::QuarantineRow>> MailIntakeService::list_quarantine(
    const Principal& who, std::optional<std::string> status, std::int64_t before_id, int limit) {
  GONGDAN_TRY(require_admin(who, "see quarantined mail"));
  GONGDAN_ASSIGN(auto out, store::read_value(db_, [&](store::Connection& c) {
                   return store::list_quarantine(c, status, before_id, limit);
                 }));
  return out;
}

Result<QuarantinedMail> MailIntakeService::quarantined(const Principal& who, std::int64_t id,
                                                       bool with_raw) {
  GONGDAN_TRY(require_admin(who, "see quarantined mail"));
  GONGDAN_ASSIGN(auto row, store::read_value(db_, [&](store::Connection& c) {
                   return store::find_quarantine(c, id);
                 }));
  if (!row) return fail(ErrorCode::kNotFound, "no such quarantined message");
  QuarantinedMail out{std::move(*row), {}};
  if (with_raw) {
    GONGDAN_ASSIGN(out.raw, files_.read(out.row.raw_sha256));
  }
  return out;
}

Result<store::QuarantineRow> MailIntakeService::record_retry(
    std::int64_t id, std::optional<std::int64_t> ticket_number, std::string_view reason) {
  store::QuarantineRow row;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto found, store::find_quarantine(c, id));
    if (!found) return fail(ErrorCode::kNotFound, "no such quarantined message");
    row = *found;
    row.attempts += 1;
    row.updated_at = clock_.now_ms();
    if (ticket_number) {
      row.status = "released";
      row.ticket_number = ticket_number;
    } else {
      row.reason = cut_utf8(text::strip_controls(reason), 2000);
    }
    return store::update_quarantine(c, row);
  }));
  return row;
}

Result<std::map<std::int64_t, std::string>> MailIntakeService::mail_flags(
    const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return std::map<std::int64_t, std::string>{};
  return store::read_value(
      db_, [&](store::Connection& c) { return store::mail_flags_of_messages(c, ids); });
}

Result<MailDetails> MailIntakeService::mail_of_message(std::int64_t ticket_message_id,
                                                       bool with_raw) {
  std::optional<store::MailRecord> record;
  bool internal = false;
  std::optional<std::int64_t> author;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(record, store::find_mail_of_ticket_message(c, ticket_message_id));
    GONGDAN_ASSIGN(auto message, store::find_message(c, ticket_message_id));
    internal = message && message->internal;
    if (message) author = message->author_id;
    return {};
  }));
  if (!record) return fail(ErrorCode::kNotFound, "this message did not come by mail");
  MailDetails out{std::move(*record), {}, internal, author};
  if (with_raw && !out.record.raw_sha256.empty()) {
    GONGDAN_ASSIGN(out.raw, files_.read(out.record.raw_sha256));
  }
  return out;
}

}  // namespace gongdan::services
