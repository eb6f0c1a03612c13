// The ticket commands. Each command is one write: the ticket row, its new message, one history
// event per changed field, the view counters, the search index and the live event all commit
// together (DESIGN.md "the one picture"). Reads check the same visibility rules; a ticket the
// caller may not see answers "not found", so numbers cannot be probed.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "domain/import_record.hpp"
#include "domain/ticket.hpp"
#include "domain/ticket_list.hpp"
#include "services/directory.hpp"
#include "services/kb_links.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"
#include "services/ticket_events_bus.hpp"
#include "services/ticket_hooks.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

struct Requester {
  std::string email;
  std::string name;
};

struct NewTicket {
  std::string subject;
  std::string body;
  std::string html;
  std::optional<Requester> requester;  // agents and programs; customers are their own requester
  std::optional<std::int64_t> department_id;
  std::optional<std::int64_t> assignee_id;
  std::optional<std::int64_t> status_id;
  std::optional<Priority> priority;
  std::optional<TicketType> type;
  std::vector<std::string> tags;
  boost::json::object custom_fields;
  std::string channel = "api";
  std::vector<std::int64_t> attachment_ids;
  std::optional<std::string> idempotency_key;
  // The requester filed it themselves without signing in (the web form): confirm by mail, as
  // for a customer's own ticket from the portal.
  bool self_filed = false;
};

// Absent members leave the field alone; for optional ids, a present nullopt clears the field.
struct TicketChanges {
  std::optional<std::string> subject;
  std::optional<std::int64_t> status_id;
  std::optional<Priority> priority;
  std::optional<TicketType> type;
  std::optional<std::optional<std::int64_t>> department_id;
  std::optional<std::optional<std::int64_t>> assignee_id;
  std::optional<std::optional<std::int64_t>> organization_id;
  std::optional<std::vector<std::string>> tags;
  std::vector<std::string> add_tags;
  std::vector<std::string> remove_tags;
  std::optional<boost::json::object> custom_fields;
  std::vector<std::int64_t> add_followers;
  std::vector<std::int64_t> remove_followers;

  bool empty() const;
};

// Who else gets one reply by mail, as the agent asked: Cc (shown to all) and Bcc (the
// envelope only). The ticket's customer followers are copied (Cc) on every reply anyway.
inline constexpr std::size_t kMaxMailCopies = 50;

struct MailCopies {
  std::vector<std::string> cc;
  std::vector<std::string> bcc;
};

struct NewMessage {
  std::string body;
  std::string html;
  bool internal = false;
  std::string channel = "api";
  std::vector<std::int64_t> attachment_ids;
  std::optional<std::int64_t> status_id;  // set a status in the same step (reply and solve)
  std::optional<TicketChanges> changes;   // more changes in the same step (a macro)
  // Mail copies of a public reply by an agent; Cc addresses also become followers.
  MailCopies copies;
};

struct TicketPage {
  std::vector<Ticket> items;
  std::optional<TicketCursor> next;
};

struct TicketListRequest {
  TicketFilter filter;
  std::optional<std::int64_t> view_id;
  std::optional<std::string> builtin_view;
  TicketSort sort = TicketSort::kUpdatedDesc;
  std::optional<TicketCursor> after;
  int limit = 50;
};

struct ViewCount {
  std::string id;  // "my_open", "unassigned", … or the saved view's number
  std::string name;
  bool builtin = true;
  std::int64_t count = 0;
  std::string filter_json;
  std::string sort;                  // saved views: their order
  std::vector<std::string> columns;  // saved views: the inbox's columns; empty: the default
};

struct CreateResult {
  Ticket ticket;
  bool replayed = false;  // an Idempotency-Key seen before: nothing new was created
  // The requester and assignee as the write saw them, so the answer needs no read of its own
  // (empty for a replay).
  std::map<std::int64_t, User> people;
};

struct BulkItem {
  std::int64_t number = 0;
  std::optional<Ticket> ticket;
  std::optional<Error> error;
};

class AttachmentLinker;
class ReplyMailer;
struct TicketWrite;

class TicketsService {
 public:
  TicketsService(store::Database& db, const Clock& clock, Directory& directory,
                 TicketEventBus& events)
      : db_(db), clock_(clock), directory_(directory), events_(events) {}

  Result<CreateResult> create(const Principal& who, NewTicket ticket);
  // create() without waiting: `done` gets the outcome on the database writer's thread once the
  // ticket is committed (or at once, on this thread, when the input is refused), so it must
  // only hand the result on.
  using CreateDone = std::function<void(Result<CreateResult>)>;
  void create_async(const Principal& who, NewTicket ticket, CreateDone done);
  // With `people`, also the requester and assignee (same statement).
  Result<Ticket> get(const Principal& who, std::int64_t number,
                     std::map<std::int64_t, User>* people = nullptr);
  // The help desk a ticket was imported from and its id there (`gongdan import`); none for a
  // ticket made here. The caller has read the ticket already (visibility is checked there).
  Result<std::optional<ImportOrigin>> import_origin(std::int64_t ticket_id);
  Result<Ticket> update(const Principal& who, std::int64_t number, const TicketChanges& changes,
                        std::optional<std::int64_t> if_match_version);
  Result<std::vector<BulkItem>> bulk_update(const Principal& who,
                                            const std::vector<std::int64_t>& numbers,
                                            const TicketChanges& changes);
  Result<TicketPage> list(const Principal& who, TicketListRequest request);
  Result<std::vector<ViewCount>> views(const Principal& who);

  Result<Message> add_message(const Principal& who, std::int64_t number, NewMessage message);
  Result<std::vector<Message>> messages(const Principal& who, std::int64_t number,
                                        std::int64_t after_id, int limit);
  Result<std::vector<TicketEvent>> history(const Principal& who, std::int64_t number,
                                           std::int64_t after_id, int limit);

  Result<Ticket> merge(const Principal& who, std::int64_t source, std::int64_t target);
  Result<Ticket> split(const Principal& who, std::int64_t number, std::int64_t message_id);
  Result<void> link(const Principal& who, std::int64_t number, std::int64_t other, LinkKind kind);
  Result<void> unlink(const Principal& who, std::int64_t number, std::int64_t other);
  Result<std::vector<TicketLink>> links(const Principal& who, std::int64_t number);
  Result<std::vector<std::int64_t>> followers(const Principal& who, std::int64_t number);

  // Inside a write: gives `before` (unsolved) to the agent automatic assignment chose, or, with
  // no choice, leaves it unassigned in its department's queue; records why in the history and
  // runs the hooks and the live event like any change (job-driven pickups and reassignments).
  Result<void> apply_assignment(store::Connection& c, const Catalog& catalog, const Ticket& before,
                                const std::optional<AssignmentChoice>& choice,
                                std::string_view reason_if_none);

  // Recounts every view counter from the tickets table (after an import or a restore).
  Result<void> rebuild_counts();

  void set_attachment_linker(AttachmentLinker* linker) { attachments_ = linker; }
  // Each sends public replies back by its channel (mail, an IM source); each decides whether
  // the ticket is its own.
  void add_reply_mailer(ReplyMailer* mailer) { mailers_.push_back(mailer); }
  // Hooks run inside every ticket command's write; added at start-up, before serving.
  void add_hook(TicketHook* hook) { hooks_.push_back(hook); }
  // For other commands that write tickets (mail intake): the same hooks must run there.
  const std::vector<TicketHook*>* hooks() const { return &hooks_; }
  void set_assigner(Assigner* assigner) { assigner_ = assigner; }
  void set_triggers(TriggerRunner* triggers) { triggers_ = triggers; }
  // Triage for the tickets create() makes (services/triage_service); may stay unset.
  void set_triage(CreateTriage* triage) { triage_ = triage; }
  // The desk's address and name (config public_url, company_name), for the links and names in
  // the notes and replies triggers and macros add ({{kb.article.12}}, {{ticket.url}},
  // {{brand.name}}: services/kb_links.hpp).
  void set_site(SiteNames site) { site_ = std::move(site); }
  const SiteNames& site() const { return site_; }

  // A change the system makes inside the caller's write (a timer: an SLA warning or breach, a
  // time-based automation). `decide` may change the ticket and returns what else to do; then the
  // triggers run with `update_type` and the `extra` facts (and `message`'s, when given).
  // `change_key` is unique to this change (webhook jobs are keyed by it). Nothing happens to a
  // missing or merged ticket.
  using SystemDecide =
      std::function<Result<TriggerOutcome>(const Catalog&, const Ticket& before, Ticket& after)>;
  Result<void> system_change(store::Connection& c, std::int64_t ticket_id,
                             std::string_view update_type, const FactMap& extra,
                             std::string_view change_key, const SystemDecide& decide,
                             const Message* message = nullptr);
  // A new ticket another command stored in the caller's write with its first message (mail,
  // live chat, an inbound source, a missed call): runs the creation triggers on it as create()
  // does (update_type create, the message's facts among theirs; the language, detected when the
  // message was stored, too). Answers the ticket as they left it.
  Result<Ticket> run_creation_triggers(store::Connection& c, const Ticket& created,
                                       const Message& first);

 private:
  friend struct TicketWrite;
  struct CreatePlan;
  // Everything create() decides before it writes: validation, defaults, search text.
  Result<std::shared_ptr<CreatePlan>> plan_create(const Principal& who, NewTicket in);
  Result<void> write_create(store::Connection& c, CreatePlan& plan);
  Result<Ticket> visible_ticket(store::Connection& c, const Viewer& viewer, std::int64_t number,
                                std::map<std::int64_t, User>* people = nullptr);
  // What read(connection, viewer, ticket) finds, in one read, about a ticket `who` may see.
  template <class T, class Read>
  Result<T> read_visible(const Principal& who, std::int64_t number, Read read);
  // The automatic assignment a change asks for: a trigger's strategy first, else the
  // department's own when `department_applies` and the ticket has no assignee; sets t.assignee_id.
  Result<std::optional<AssignmentChoice>> auto_assign(store::Connection& c, Ticket& t,
                                                      const TriggerOutcome& triggered,
                                                      bool department_applies,
                                                      std::string_view why);
  Result<void> record_triggers(TicketWrite& w, Ticket& ticket, const TriggerOutcome& outcome,
                               std::string_view change_key = {});
  // What triage set on a new ticket before its write and still holds in `ticket` (as it is
  // inserted): the history's record of it, kept in the ticket's "created" row; none if nothing.
  // It reads only the ticket's department, type, priority and tags (write_create relies on it).
  static std::optional<std::string> triage_record(const Ticket& ticket, const CreatePlan& plan);
  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  TicketEventBus& events_;
  AttachmentLinker* attachments_ = nullptr;
  std::vector<ReplyMailer*> mailers_;
  std::vector<TicketHook*> hooks_;
  Assigner* assigner_ = nullptr;
  TriggerRunner* triggers_ = nullptr;
  CreateTriage* triage_ = nullptr;
  SiteNames site_;
};

// Attaches uploaded files to a message inside the message's write (implemented by the
// attachments service; checks that the uploads belong to the caller and are not used yet).
class AttachmentLinker {
 public:
  virtual ~AttachmentLinker() = default;
  virtual Result<void> link(store::Connection& c, const Principal& who,
                            const std::vector<std::int64_t>& attachment_ids,
                            std::int64_t message_id) = 0;
};

// Sends an agent's public reply to the customer by mail, inside the reply's write (implemented
// by the outbox service).
class ReplyMailer {
 public:
  virtual ~ReplyMailer() = default;
  virtual Result<void> on_public_reply(store::Connection& c, const Ticket& ticket,
                                       const Message& message, const MailCopies& copies) = 0;
  // A customer opened `ticket` themselves (portal, web form): the department's acknowledgement.
  virtual Result<void> on_customer_ticket(store::Connection& c, const Ticket& ticket) = 0;
};

}  // namespace gongdan::services
