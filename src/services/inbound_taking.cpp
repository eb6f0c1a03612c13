// InboundService::take and take_call: what a source's checked webhook delivers, put on a ticket
// in one write (the order and the reasons are in inbound_service.hpp).
#include <boost/json.hpp>

#include "domain/attachment_name.hpp"
#include "domain/search_text.hpp"
#include "services/automation_actions.hpp"
#include "services/cluster_events.hpp"
#include "services/inbound_service.hpp"
#include "services/job_kinds.hpp"
#include "services/ticket_write.hpp"
#include "store/attachments_store.hpp"
#include "store/automation_store.hpp"
#include "store/catalog_store.hpp"
#include "store/inbound_store.hpp"
#include "store/messages_store.hpp"
#include "store/tickets_store.hpp"
#include "store/users_store.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

// A contact a provider brought has no address of its own: one under .invalid (RFC 2606) keeps
// users.email unique and is never mailed (the outbox skips .invalid).
std::string provider_address(const InboundSource& source, std::string_view external_id) {
  return std::string(inbound_kind_name(source.kind)) + "-" + std::to_string(source.id) + "-" +
         crypto::sha256_hex(external_id).substr(0, 20) + "@inbound.invalid";
}

// The first line of the text, cut to a subject's length.
std::string subject_of(const InboundMessage& m) {
  std::string s = text::trim(m.subject);
  if (s.empty()) {
    const std::string body = text::trim(m.text);
    s = body.substr(0, body.find('\n'));
  }
  s = text::cut_utf8(text::strip_controls(text::trim(s)), 120);
  return s.empty() ? std::string("(no subject)") : s;
}

// Follows merges so that a sender's next message lands where their ticket went.
Result<std::optional<Ticket>> last_of_merges(store::Connection& c, std::optional<Ticket> t) {
  for (int hops = 0; t && t->merged_into && hops < 10; ++hops) {
    GONGDAN_ASSIGN(t, store::find_ticket_by_number(c, *t->merged_into));
  }
  return t;
}

}  // namespace

struct InboundService::Taking {
  InboundService& service;
  const InboundSource& source;
  const Catalog& catalog;
  TicketWrite w;

  // The contact the provider knows as `external_id`: found, or made (with the identity).
  Result<TicketWrite::Person> contact(std::string_view external_id, std::string_view name) {
    GONGDAN_ASSIGN(auto known, store::find_provider_identity(w.c, source.id, external_id));
    if (known) {
      GONGDAN_ASSIGN(auto organization, w.organization_of(*known));
      return TicketWrite::Person{*known, organization, std::nullopt};
    }
    std::string display = text::cut_utf8(text::strip_controls(text::trim(name)), 200);
    if (display.empty()) display = std::string(external_id).substr(0, 200);
    GONGDAN_ASSIGN(auto person,
                   w.resolve_requester(Requester{provider_address(source, external_id), display}));
    GONGDAN_TRY(
        store::add_provider_identity(w.c, source.id, external_id, person.id, display, w.now));
    return person;
  }

  // The sender's unsolved ticket from this source, if any.
  Result<std::optional<Ticket>> open_ticket_of(std::string_view external_id) {
    GONGDAN_ASSIGN(auto last, store::last_ticket_of_sender(w.c, source.id, external_id));
    if (!last) return std::optional<Ticket>{};
    GONGDAN_ASSIGN(auto ticket, store::find_ticket(w.c, *last));
    GONGDAN_ASSIGN(ticket, last_of_merges(w.c, std::move(ticket)));
    if (ticket && !is_unsolved(ticket->category)) ticket.reset();
    return ticket;
  }

  Result<Ticket> open(const TicketWrite::Person& person, std::string subject,
                      std::string_view channel) {
    Ticket t;
    t.subject = std::move(subject);
    t.channel = std::string(channel);
    t.department_id = source.department_id;
    t.requester_id = person.id;
    t.organization_id = person.organization_id;
    const Status* status = catalog.default_status(StatusCategory::kNew);
    if (!status) return fail(ErrorCode::kInternal, "no status of category new");
    set_status(t, *status, w.now);
    std::optional<AssignmentChoice> assigned;
    if (t.department_id && service.assigner_) {
      GONGDAN_ASSIGN(assigned, service.assigner_->assign(w.c, t, "ticket_created"));
      if (assigned) t.assignee_id = assigned->agent_id;
    }
    GONGDAN_ASSIGN(Ticket created, w.insert(t));
    if (assigned) GONGDAN_TRY(record_assignment(w.c, created.id, w.now, *assigned, true));
    return created;
  }

  // A ticket open() made, now with its first message: the creation triggers run on it.
  Result<Ticket> created(const Ticket& ticket, const Message& first) {
    if (!service.tickets_) return ticket;
    return service.tickets_->run_creation_triggers(w.c, ticket, first);
  }

  // The customer wrote back: a pending or solved ticket needs an agent again.
  Result<Message> add(Ticket& ticket, Message m) {
    Ticket before = ticket;
    Ticket after = before;
    if (!is_unsolved(before.category) || before.category == StatusCategory::kPending)
      if (const auto* open = catalog.default_status(StatusCategory::kOpen))
        set_status(after, *open, w.now);
    GONGDAN_ASSIGN(Message added,
                   w.add_message(after, std::move(m), false, search::index_text(m.body)));
    GONGDAN_TRY(w.event(before.id, "message", std::nullopt, std::to_string(added.id)));
    GONGDAN_ASSIGN(ticket, w.save(before, after));
    return added;
  }
};

// A message of files alone reads as their names, one a line: "[photo.jpg]".
void name_files(InboundMessage& in) {
  if (in.files.size() > kMaxInboundFiles) in.files.resize(kMaxInboundFiles);
  if (!text::trim(in.text).empty() || in.files.empty()) return;
  for (const auto& f : in.files) in.text += (in.text.empty() ? "[" : "\n[") + f.name + "]";
}

Result<InboundOutcome> InboundService::take(const InboundSource& source, InboundMessage in) {
  name_files(in);
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  const std::string body = text::cut_utf8(text::strip_controls(in.text, true), kMaxBodyLength);
  const std::string subject = subject_of(in);
  InboundOutcome outcome;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    outcome = {};
    const Millis now = clock_.now_ms();
    GONGDAN_ASSIGN(auto claimed,
                   store::claim_inbound_event(c, source.id, in.event_id, in.external_id, now));
    if (!claimed) {
      outcome.result = InboundResult::kDuplicate;
      return {};
    }
    Taking t{*this, source, *catalog,
             TicketWrite{c, *catalog, Principal::system(), now, "im", db_, hooks_}};
    GONGDAN_ASSIGN(auto person, t.contact(in.external_id, in.display_name));
    GONGDAN_ASSIGN(auto ticket, t.open_ticket_of(in.external_id));
    Message m;
    m.author_id = person.id;
    m.body = body;
    m.channel = "im";
    Message added;
    bool created = false;
    if (!ticket) {
      GONGDAN_ASSIGN(ticket, t.open(person, subject, "im"));
      GONGDAN_ASSIGN(added,
                     t.w.add_message(*ticket, std::move(m), false, search::index_text(body)));
      GONGDAN_ASSIGN(ticket, t.created(*ticket, added));
      created = true;
    } else {
      GONGDAN_ASSIGN(added, t.add(*ticket, std::move(m)));
    }
    GONGDAN_TRY(store::set_inbound_event_ticket(c, *claimed, ticket->id, added.id));
    // Its files are fetched after the commit, each by its own job, and attached to it.
    for (std::size_t i = 0; i < in.files.size(); ++i) {
      NewJob job;
      job.kind = std::string(kImFileJob);
      job.payload =
          boost::json::serialize(boost::json::object{{"source_id", source.id},
                                                     {"message_id", added.id},
                                                     {"reference", in.files[i].reference},
                                                     {"name", in.files[i].name},
                                                     {"content_type", in.files[i].content_type}});
      job.run_at = now;
      job.idempotency_key = "im_file:" + std::to_string(added.id) + ":" + std::to_string(i);
      GONGDAN_TRY(jobs_.enqueue(c, job));
    }
    GONGDAN_TRY(store::count_inbound_message(c, source.id));
    outcome.result = created ? InboundResult::kCreated : InboundResult::kAdded;
    outcome.ticket_number = ticket->number;
    outcome.message_id = added.id;
    return t.w.publish(events_, created ? "ticket.created" : "message.created", *ticket, added,
                       created);
  }));
  return outcome;
}

Result<void> InboundService::attach_file(std::int64_t message_id, std::string_view name,
                                         std::string_view claimed_type, std::string_view bytes) {
  if (!files_) return fail(ErrorCode::kUnavailable, "no file store");
  if (bytes.empty()) return fail(ErrorCode::kInvalidArgument, "the provider sent an empty file");
  GONGDAN_ASSIGN(auto blob, files_->put(bytes));  // durable before the row that names it
  return db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto message, store::find_message(c, message_id));
    if (!message) return fail(ErrorCode::kInvalidArgument, "the message is gone");
    // A job run twice (a crash after the write) attaches the file once.
    GONGDAN_ASSIGN(auto existing, store::attachments_of_messages(c, {message_id}));
    const std::string filename = sanitize_filename(with_type_extension(name, blob.detected_type));
    for (const auto& a : existing[message_id])
      if (a.sha256 == blob.sha256 && a.filename == filename) return {};
    Attachment row;
    row.sha256 = blob.sha256;
    row.size = static_cast<std::int64_t>(blob.size);
    row.content_type = blob.detected_type;
    row.claimed_type = normalize_media_type(claimed_type);
    row.filename = filename;
    row.uploader_id = message->author_id;
    row.message_id = message_id;
    row.created_at = clock_.now_ms();
    GONGDAN_TRY(store::insert_attachment(c, row));
    // An open desk shows the file once it is here (http/stream_hub; other nodes by NOTIFY).
    GONGDAN_ASSIGN(auto ticket, store::find_ticket(c, message->ticket_id));
    if (!ticket) return {};
    TicketChange change;
    change.type = "attachment.created";
    change.ticket = std::move(*ticket);
    change.message = std::move(*message);
    if (c.notifies()) {
      boost::json::object note{{"node", events_.node_id()},
                               {"type", change.type},
                               {"ticket", change.ticket.id},
                               {"message", message_id}};
      GONGDAN_TRY(c.notify(kTicketEventsChannel, boost::json::serialize(note)));
    }
    c.after_commit([this, change = std::move(change)] { events_.publish(change); });
    return {};
  });
}

namespace {

// The agent's desk shows who calls and their open tickets, live.
Result<void> ring_agent(store::Connection& c, TicketEventBus& events, std::int64_t agent_id,
                        const std::string& caller, const std::vector<Ticket>& open, Millis now) {
  GONGDAN_ASSIGN(auto agent, store::find_user(c, agent_id));
  if (!agent || !agent->active || agent->role == Role::kCustomer) return {};
  Notification n;
  n.user_id = agent->id;
  n.kind = "call";
  n.title = text::cut_utf8("Incoming call: " + caller, 500);
  std::string lines;
  for (const auto& ticket : open)
    lines += "#" + std::to_string(ticket.number) + " " + ticket.subject + "\n";
  n.body = text::cut_utf8(lines.empty() ? std::string("No open tickets.") : lines, 4000);
  n.created_at = now;
  if (!open.empty()) {
    n.ticket_id = open.front().id;
    n.ticket_number = open.front().number;
  }
  GONGDAN_ASSIGN(n.id, store::insert_notification(c, n));
  Ticket about = open.empty() ? Ticket{} : open.front();
  return publish_notification(c, &events, about, n);
}

Result<void> log_answered_call(store::Connection& c, TicketWrite& w, const CallReport& call,
                               std::int64_t ticket_id, Millis now) {
  CallLog log;
  log.ticket_id = ticket_id;
  log.author_id = call.agent_id;
  log.direction = call.direction;
  log.number = call.number;
  log.duration_seconds = call.duration_seconds;
  log.outcome = "answered";
  log.recording_url = call.recording_url;
  log.started_at = now - call.duration_seconds * 1000;
  log.created_at = now;
  GONGDAN_TRY(store::insert_call_log(c, log));
  return w.event(ticket_id, "call", std::nullopt,
                 log.direction + " " + log.number + " " + log.outcome);
}

}  // namespace

Result<CallOutcome> InboundService::take_call(const InboundSource& source, const CallReport& call) {
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  CallOutcome outcome;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    outcome = {};
    const Millis now = clock_.now_ms();
    GONGDAN_ASSIGN(auto claimed,
                   store::claim_inbound_event(c, source.id, call.event_id, call.number, now));
    if (!claimed) {
      outcome.duplicate = true;
      return {};
    }
    Taking t{*this, source, *catalog,
             TicketWrite{c, *catalog, Principal::system(), now, "phone", db_, hooks_}};
    // The caller: a contact with this phone number, else one made for it (an unknown number
    // is a new contact, never an error).
    GONGDAN_ASSIGN(auto by_phone, store::find_contact_by_phone(c, call.number));
    TicketWrite::Person person;
    if (by_phone) {
      person.id = *by_phone;
      GONGDAN_ASSIGN(person.organization_id, t.w.organization_of(*by_phone));
    } else {
      GONGDAN_ASSIGN(person, t.contact(call.number, call.name));
      GONGDAN_TRY(store::add_identity(c, person.id, "phone", call.number));
    }
    outcome.contact_id = person.id;
    GONGDAN_ASSIGN(auto open_ids, store::open_tickets_of(c, person.id, 10));
    std::vector<Ticket> open;
    for (auto id : open_ids) {
      GONGDAN_ASSIGN(auto ticket, store::find_ticket(c, id));
      if (ticket) open.push_back(std::move(*ticket));
    }
    for (const auto& ticket : open) outcome.open_tickets.push_back(ticket.number);
    GONGDAN_ASSIGN(auto caller, store::find_user(c, person.id));
    const std::string who = caller && !caller->name.empty() ? caller->name : call.number;

    if (call.kind == "ringing" && call.agent_id)
      return ring_agent(c, events_, *call.agent_id, who + " (" + call.number + ")", open, now);
    if (call.kind == "missed") {
      GONGDAN_ASSIGN(auto ticket,
                     t.open(person, text::cut_utf8("Missed call from " + who, 200), "phone"));
      Message m;
      m.author_id = person.id;
      m.channel = "phone";
      m.body =
          "Missed call from " + call.number + (call.name.empty() ? "" : " (" + call.name + ")");
      GONGDAN_ASSIGN(auto added, t.w.add_message(ticket, std::move(m), false));
      GONGDAN_ASSIGN(ticket, t.created(ticket, added));
      CallLog log;
      log.ticket_id = ticket.id;
      log.direction = call.direction;
      log.number = call.number;
      log.outcome = "missed";
      log.started_at = now;
      log.created_at = now;
      GONGDAN_TRY(store::insert_call_log(c, log));
      GONGDAN_TRY(store::set_inbound_event_ticket(c, *claimed, ticket.id, added.id));
      outcome.ticket_number = ticket.number;
      return t.w.publish(events_, "ticket.created", ticket, added, true);
    }
    if (call.kind == "ended" && !open.empty()) {
      // The call's length and recording go on the caller's newest open ticket.
      GONGDAN_TRY(log_answered_call(c, t.w, call, open.front().id, now));
      outcome.ticket_number = open.front().number;
    }
    return {};
  }));
  return outcome;
}

}  // namespace gongdan::services
