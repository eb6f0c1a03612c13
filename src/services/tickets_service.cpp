#include "services/tickets_service.hpp"

#include <algorithm>

#include "domain/search_text.hpp"
#include "domain/template.hpp"
#include "models/language_detector.hpp"
#include "services/catalog/catalog_resources.hpp"
#include "services/kb_links.hpp"
#include "services/resource_load.hpp"
#include "services/ticket_write.hpp"
#include "services/triggers_service.hpp"
#include "store/catalog_store.hpp"
#include "store/messages_store.hpp"
#include "store/tickets_store.hpp"
#include "store/users_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

std::string via_of(const Principal& who, std::string_view channel) {
  if (who.via == CredentialKind::kSystem) return "system";
  if (channel != "api" && channel != "web") return std::string(channel);
  return who.via == CredentialKind::kSession ? "web" : "api";
}

Result<void> check_assignee(store::Connection& c, const std::optional<std::int64_t>& id) {
  if (!id) return {};
  GONGDAN_ASSIGN(auto user, store::find_user(c, *id));
  if (!user || !can_be_assignee(*user))
    return fail(ErrorCode::kInvalidArgument, "the assignee must be an active agent", "assignee");
  return {};
}

Result<std::string> validate_body(std::string_view body) {
  if (body.size() > kMaxBodyLength)
    return fail(ErrorCode::kPayloadTooLarge, "the message is larger than 512 KiB", "body");
  if (!text::is_valid_utf8(body))
    return fail(ErrorCode::kInvalidArgument, "is not valid UTF-8", "body");
  return text::strip_controls(body, true);
}

// A ticket merged into another takes no more changes: they go to the one it was merged into.
Result<void> refuse_merged(const Ticket& t) {
  if (!t.merged_into) return {};
  return fail(ErrorCode::kConflict,
              "this ticket was merged into #" + std::to_string(*t.merged_into));
}

bool changes_anything(const Ticket& a, const Ticket& b) {
  return a.subject != b.subject || a.status_id != b.status_id || a.priority != b.priority ||
         a.type != b.type || a.department_id != b.department_id || a.assignee_id != b.assignee_id ||
         a.organization_id != b.organization_id || a.tags != b.tags ||
         a.custom_fields != b.custom_fields;
}

// Several rules fired by one change are one history row ("triggers": a JSON list of names),
// which the history shows as one "trigger" entry a rule: fewer rows on the writer thread.
std::string rules_field(std::string_view via) {
  return via == "rule" ? "trigger" : std::string(via);
}

// The fields triage set on a new ticket before its write, as a JSON list of [field, old, new]:
// once their own history row ("triaged", via triage), now the old value of the ticket's
// "created" row (triage_record), which no other reader uses: one row fewer a triaged ticket on
// the writer thread.
constexpr std::string_view kTriagedField = "triaged";

// What triage set, as the history shows it: one row a field, via triage, no actor.
void expand_triaged(const TicketEvent& row, std::string_view changes_json,
                    std::vector<TicketEvent>& out) {
  boost::system::error_code ec;
  auto changes = boost::json::parse(changes_json, ec);
  if (ec || !changes.is_array()) return;
  for (const auto& item : changes.as_array()) {
    const auto* c = item.if_array();
    if (!c || c->size() != 3 || !(*c)[0].is_string() || !(*c)[2].is_string()) continue;
    TicketEvent one = row;
    one.via = "triage";
    one.actor_id.reset();
    one.field = std::string((*c)[0].as_string());
    one.old_value =
        (*c)[1].is_string() ? std::optional(std::string((*c)[1].as_string())) : std::nullopt;
    one.new_value = std::string((*c)[2].as_string());
    out.push_back(std::move(one));
  }
}

std::vector<TicketEvent> expand_rule_rows(std::vector<TicketEvent> rows) {
  std::vector<TicketEvent> out;
  out.reserve(rows.size());
  for (auto& row : rows) {
    if (row.field == kTriagedField) {
      expand_triaged(row, row.new_value.value_or(""), out);
      continue;
    }
    if (row.field == "created" && row.old_value) {
      auto triaged = std::move(*row.old_value);
      row.old_value.reset();
      out.push_back(row);
      expand_triaged(row, triaged, out);
      continue;
    }
    const bool plural = (row.field == "triggers" || row.field == "automations") && row.new_value;
    boost::system::error_code ec;
    auto names = plural ? boost::json::parse(*row.new_value, ec) : boost::json::value();
    if (!plural || ec || !names.is_array()) {
      out.push_back(std::move(row));
      continue;
    }
    for (const auto& name : names.as_array()) {
      if (!name.is_string()) continue;
      TicketEvent one = row;
      one.field.pop_back();
      one.new_value = std::string(name.as_string());
      out.push_back(std::move(one));
    }
  }
  return out;
}

// What a customer may set on a new ticket: what they may change later (nothing but the status,
// and that only to solved, which a new ticket is not), plus the subject, text, attachments,
// department, and the custom fields the department's form asks for: the form decides.
Result<void> check_customer_fields(const Catalog& catalog, const NewTicket& in) {
  auto deny = [](std::string field) {
    return fail(ErrorCode::kPermissionDenied, "customers may not set this field", std::move(field));
  };
  if (in.requester) return deny("requester");
  if (in.assignee_id) return deny("assignee");
  if (in.status_id) return deny("status");
  if (in.priority) return deny("priority");
  if (in.type) return deny("type");
  if (!in.tags.empty()) return deny("tags");
  // The server names a customer's channel (the portal); naming that one changes nothing.
  if (in.channel != NewTicket{}.channel && in.channel != "portal") return deny("channel");
  if (in.custom_fields.empty()) return {};
  std::vector<std::string> offered;
  for (const auto& form : catalog.forms) {
    if (!form.active || form.department_id != in.department_id || !form.fields.is_array()) continue;
    for (const auto& item : form.fields.as_array())
      if (const auto* o = item.if_object(); o && o->contains("key") && o->at("key").is_string())
        offered.emplace_back(o->at("key").as_string());
  }
  for (const auto& field : in.custom_fields)
    if (std::find(offered.begin(), offered.end(), field.key()) == offered.end())
      return deny("custom_fields." + std::string(field.key()));
  return {};
}

// Cc and Bcc go with an agent's public reply only: a note is never mailed, and a customer's
// message is not a mail the desk sends.
Result<void> check_copies(MailCopies& copies, bool public_agent_reply) {
  if ((!copies.cc.empty() || !copies.bcc.empty()) && !public_agent_reply)
    return fail(ErrorCode::kInvalidArgument, "only an agent's public reply is copied",
                copies.cc.empty() ? "bcc" : "cc");
  for (auto* list : {&copies.cc, &copies.bcc}) {
    const char* field = list == &copies.cc ? "cc" : "bcc";
    if (list->size() > kMaxMailCopies)
      return fail(ErrorCode::kInvalidArgument, "at most 50 addresses", field);
    for (auto& a : *list) {
      a = text::normalize_email(text::trim(a));
      if (!text::looks_like_email(a))
        return fail(ErrorCode::kInvalidArgument, "not a valid email address: " + a, field);
    }
  }
  return {};
}

// The people an agent copies stay on the conversation: each becomes a follower (a contact made
// for a new address), so later replies copy them too.
Result<void> follow_copied(TicketWrite& w, const Ticket& ticket,
                           const std::vector<std::string>& cc) {
  for (const auto& address : cc) {
    GONGDAN_ASSIGN(auto person, w.resolve_requester(Requester{address, ""}));
    if (person.id == ticket.requester_id) continue;
    GONGDAN_ASSIGN(bool follows, store::is_follower(w.c, ticket.id, person.id));
    if (follows) continue;
    GONGDAN_TRY(store::add_follower(w.c, ticket.id, person.id));
    GONGDAN_TRY(w.event(ticket.id, "followers", std::nullopt, std::to_string(person.id)));
  }
  return {};
}

}  // namespace

// Records which triggers fired, adds the notes and replies they asked for and carries out their
// mail, notify and webhook actions, for the stored `ticket`.
Result<void> TicketsService::record_triggers(TicketWrite& w, Ticket& ticket,
                                             const TriggerOutcome& outcome,
                                             std::string_view change_key) {
  if (!outcome.fired.empty()) {
    TicketEvent e;
    e.ticket_id = ticket.id;
    e.at = w.now;
    e.via = outcome.via;
    e.field = rules_field(outcome.via);
    if (outcome.fired.size() == 1) {
      e.new_value = outcome.fired.front();
    } else {
      e.field += "s";
      e.new_value =
          boost::json::serialize(boost::json::array(outcome.fired.begin(), outcome.fired.end()));
    }
    GONGDAN_TRY(store::insert_event(w.c, e));
  }
  auto add = [&](const std::string& body, bool internal) -> Result<void> {
    Message m;
    m.internal = internal;
    auto facts = ticket_facts(ticket, w.catalog, nullptr, "update");
    const auto reader = internal ? KbReader::kAgent : KbReader::kCustomer;
    GONGDAN_TRY(add_kb_link_facts(w.c, body, ticket, reader, site_.public_url, facts));
    GONGDAN_TRY(add_site_facts(w.c, body, ticket, reader, site_, facts));
    m.body = render_template(body, facts, EscapeContext::kPlainText);
    m.channel = "api";
    GONGDAN_ASSIGN(auto added, w.add_message(ticket, std::move(m), false));
    TicketEvent e;
    e.ticket_id = ticket.id;
    e.at = w.now;
    e.via = outcome.via;
    e.field = internal ? "internal_note" : "message";
    e.new_value = std::to_string(added.id);
    GONGDAN_TRY(store::insert_event(w.c, e));
    if (!internal)
      for (auto* mailer : mailers_) GONGDAN_TRY(mailer->on_public_reply(w.c, ticket, added, {}));
    return {};
  };
  for (const auto& body : outcome.notes) GONGDAN_TRY(add(body, true));
  for (const auto& body : outcome.replies) GONGDAN_TRY(add(body, false));
  if (triggers_ && !outcome.effects.empty()) {
    const std::string key =
        change_key.empty() ? "t" + std::to_string(ticket.id) + "-v" + std::to_string(ticket.version)
                           : std::string(change_key);
    GONGDAN_TRY(triggers_->carry_out(w.c, w.catalog, ticket, outcome, key, w.now));
  }
  return {};
}

bool TicketChanges::empty() const {
  return !subject && !status_id && !priority && !type && !department_id && !assignee_id &&
         !organization_id && !tags && add_tags.empty() && remove_tags.empty() && !custom_fields &&
         add_followers.empty() && remove_followers.empty();
}

Result<Ticket> TicketsService::visible_ticket(store::Connection& c, const Viewer& viewer,
                                              std::int64_t number,
                                              std::map<std::int64_t, User>* people) {
  std::optional<Ticket> found;
  if (people) {
    GONGDAN_ASSIGN(auto with, store::find_ticket_with_people(c, number));
    if (with) {
      found = std::move(with->ticket);
      for (auto* user : {&with->requester, &with->assignee})
        if (*user) people->insert_or_assign((*user)->id, std::move(**user));
    }
  } else {
    GONGDAN_ASSIGN(found, store::find_ticket_by_number(c, number));
  }
  if (!found) return fail(ErrorCode::kNotFound, "no such ticket");
  bool follows = false;
  if (viewer.role == Role::kCustomer && found->requester_id != viewer.user_id) {
    GONGDAN_ASSIGN(follows, store::is_follower(c, found->id, viewer.user_id));
  }
  if (!can_see_ticket(viewer, *found, follows)) return fail(ErrorCode::kNotFound, "no such ticket");
  return *found;
}

struct TicketsService::CreatePlan {
  Principal who;
  NewTicket in;
  std::shared_ptr<const Catalog> catalog;
  Ticket ticket;
  std::string body;
  bool customer = false;
  std::string subject_index;
  std::string body_index;
  std::optional<TriggerPreview> triggers;  // the rules, evaluated before the write
  // What triage set on `ticket` before the write (none: its job triages it), and the tags the
  // ticket had before.
  std::optional<std::vector<TriageSet>> triaged;
  std::vector<std::string> tags_before_triage;
  // triage_record of `ticket`, made here rather than on the single writer thread; the write
  // makes it again only when its rules changed a field triage sets.
  std::optional<std::string> triage_changes;
  CreateResult result;
};

Result<std::shared_ptr<TicketsService::CreatePlan>> TicketsService::plan_create(
    const Principal& who, NewTicket in) {
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  if (viewer.is_agent() && !viewer.can(Permission::kCreateTickets))
    return fail(ErrorCode::kPermissionDenied, "your role may not create tickets (tickets.create)");
  Ticket t;
  GONGDAN_ASSIGN(t.subject, validate_subject(in.subject));
  GONGDAN_ASSIGN(auto body, validate_body(in.body));
  if (body.empty() && in.html.empty())
    return fail(ErrorCode::kInvalidArgument, "is required", "body");
  if (!is_known_channel(in.channel))
    return fail(ErrorCode::kInvalidArgument, "unknown channel", "channel");
  t.channel = in.channel;
  t.priority = in.priority.value_or(Priority::kNormal);
  t.type = in.type.value_or(TicketType::kQuestion);
  GONGDAN_ASSIGN(t.tags, normalize_tags(in.tags));
  if (in.department_id && !catalog->department(*in.department_id))
    return fail(ErrorCode::kInvalidArgument, "no such department", "department");
  t.department_id = in.department_id;
  const bool customer = viewer.role == Role::kCustomer;
  if (customer) GONGDAN_TRY(check_customer_fields(*catalog, in));
  t.assignee_id = in.assignee_id;
  const Status* status =
      in.status_id ? catalog->status(*in.status_id) : catalog->default_status(StatusCategory::kNew);
  if (!status || !status->active)
    return fail(ErrorCode::kInvalidArgument, "no such status", "status");
  set_status(t, *status, clock_.now_ms());
  GONGDAN_ASSIGN(auto fields,
                 merge_field_values(catalog->fields, boost::json::object{}, in.custom_fields));
  for (const auto& form : catalog->forms) {
    if (!form.active || form.department_id != t.department_id) continue;
    if (!form.fields.is_array()) continue;
    for (const auto& item : form.fields.as_array()) {
      const auto* o = item.if_object();
      if (!o || !o->contains("key") || !o->at("key").is_string()) continue;
      const bool required = o->contains("required") && o->at("required") == true;
      const std::string key(o->at("key").as_string());
      if (required && !fields.contains(key))
        return fail(ErrorCode::kInvalidArgument, "is required by the department's form",
                    "custom_fields." + key);
    }
  }
  t.custom_fields = boost::json::serialize(fields);
  if (!customer && !in.requester && who.user.id == 0)
    return fail(ErrorCode::kInvalidArgument, "is required", "requester");

  auto plan = std::make_shared<CreatePlan>();
  plan->subject_index = search::index_text(t.subject);
  plan->body_index = search::index_text(body);
  plan->who = who;
  plan->in = std::move(in);
  plan->catalog = std::move(catalog);
  // The requester's words tell the ticket's language before the creation triggers evaluate
  // (they may route on it); write_create drops it when someone else wrote the first message.
  t.language = models::detect_language(t.subject + "\n" + body).value_or("");
  // Triage's confident predictions, before the rules (they may route on them) and off the
  // writer; a department set so does not run the department's automatic assignment.
  if (triage_) {
    plan->tags_before_triage = t.tags;
    plan->triaged = triage_->triage_new(*plan->catalog, t, body);
    plan->triage_changes = triage_record(t, *plan);
  }
  if (triggers_) {
    Message m;  // as write_create makes it, where the author is the requester
    m.author_id = t.requester_id;
    m.body = body;
    m.html = plan->in.html;
    m.channel = plan->in.channel;
    plan->triggers = triggers_->preview_create(*plan->catalog, t, m);
  }
  plan->ticket = std::move(t);
  plan->body = std::move(body);
  plan->customer = customer;
  return plan;
}

std::optional<std::string> TicketsService::triage_record(const Ticket& ticket,
                                                         const CreatePlan& plan) {
  if (!plan.triaged || plan.triaged->empty()) return std::nullopt;
  // Not a field's change: the ticket is stored with these values, and the report rollups replay
  // it so (replay_rollups reads nothing of a "created" row).
  boost::json::array changes;
  auto change = [&](std::string_view field, std::optional<std::string> before,
                    std::string_view after) {
    changes.push_back(boost::json::array{boost::json::string(field),
                                         before ? boost::json::value(*before) : nullptr,
                                         boost::json::string(after)});
  };
  // A rule may have changed a field after triage set it: only what still holds is triage's.
  std::vector<std::string> tags = plan.tags_before_triage;
  for (const auto& set : *plan.triaged) {
    if (set.field == "department" && ticket.department_id &&
        std::to_string(*ticket.department_id) == set.value)
      change("department", std::nullopt, set.value);
    if (set.field == "type" && type_name(ticket.type) == set.value)
      change("type", std::string(type_name(TicketType::kQuestion)), set.value);
    if (set.field == "priority" && priority_name(ticket.priority) == set.value)
      change("priority", std::string(priority_name(Priority::kNormal)), set.value);
    if (set.field == "tags" &&
        std::find(ticket.tags.begin(), ticket.tags.end(), set.value) != ticket.tags.end())
      tags.push_back(set.value);
  }
  if (tags.size() != plan.tags_before_triage.size())
    if (auto normal = normalize_tags(tags))
      change("tags", tags_text(plan.tags_before_triage), tags_text(*normal));
  if (changes.empty()) return std::nullopt;
  return boost::json::serialize(changes);
}

Result<void> TicketsService::write_create(store::Connection& c, CreatePlan& plan) {
  const Principal& who = plan.who;
  const NewTicket& in = plan.in;
  const Catalog& catalog = *plan.catalog;
  const Ticket& t = plan.ticket;
  const bool customer = plan.customer;
  auto& result = plan.result;
  const Millis now = clock_.now_ms();
  TicketWrite w{c, catalog, who, now, via_of(who, in.channel), db_, &hooks_};
  if (in.idempotency_key && who.user.id) {
    GONGDAN_ASSIGN(auto seen, store::find_idempotent_ticket(c, who.user.id, *in.idempotency_key));
    if (seen) {
      GONGDAN_ASSIGN(auto existing, store::find_ticket(c, *seen));
      if (!existing) return fail(ErrorCode::kInternal, "idempotent ticket vanished");
      result = {*existing, true, {}};
      return {};
    }
  }
  GONGDAN_TRY(check_assignee(c, t.assignee_id));
  Ticket fresh = t;  // this write's copy: a retried write starts from `t` again
  result.people.clear();
  // A staff member named as the requester did not write this: the message is the creating
  // agent's, and nobody may file as staff without signing in (the web form).
  bool requester_wrote_it = customer || in.requester.has_value();
  if (in.requester) {
    GONGDAN_ASSIGN(auto person, w.resolve_requester(*in.requester));
    if (person.user && is_agent_role(person.user->role) && person.id != who.user.id) {
      if (who.user.id == 0)
        return fail(ErrorCode::kPermissionDenied,
                    "this address belongs to a member of the support team; sign in instead",
                    "requester.email");
      requester_wrote_it = false;
    }
    fresh.requester_id = person.id;
    fresh.organization_id = person.organization_id;
    if (person.user) result.people.emplace(person.id, std::move(*person.user));
  } else {
    fresh.requester_id = who.user.id;
    GONGDAN_ASSIGN(fresh.organization_id, w.organization_of(fresh.requester_id));
  }
  Message m;
  m.author_id = requester_wrote_it ? fresh.requester_id : who.user.id;
  if (m.author_id != fresh.requester_id) fresh.language.clear();
  m.body = plan.body;
  m.html = in.html;
  m.channel = in.channel;
  TriggerOutcome triggered;
  if (triggers_) {
    fresh.created_at = fresh.updated_at = now;
    GONGDAN_ASSIGN(triggered, triggers_->run_create(c, catalog, fresh, m, now,
                                                    plan.triggers ? &*plan.triggers : nullptr));
    if (!triggered.fired.empty()) GONGDAN_TRY(check_assignee(c, fresh.assignee_id));
  }
  bool triaged_department = false;
  if (plan.triaged)
    for (const auto& set : *plan.triaged)
      triaged_department |= set.field == "department" && fresh.department_id &&
                            std::to_string(*fresh.department_id) == set.value;
  GONGDAN_ASSIGN(auto assigned,
                 auto_assign(c, fresh, triggered, !triaged_department, "ticket_created"));
  const bool triage_fields_kept = fresh.department_id == t.department_id && fresh.type == t.type &&
                                  fresh.priority == t.priority && fresh.tags == t.tags;
  GONGDAN_ASSIGN(Ticket created,
                 w.insert(fresh, plan.subject_index,
                          triage_fields_kept ? plan.triage_changes : triage_record(fresh, plan)));
  if (assigned) GONGDAN_TRY(record_assignment(c, created.id, now, *assigned, true));
  GONGDAN_ASSIGN(auto message, w.add_message(created, std::move(m), false, plan.body_index));
  GONGDAN_TRY(record_triggers(w, created, triggered));
  w.triaged = plan.triaged.has_value();
  if (!in.attachment_ids.empty()) {
    if (!attachments_) return fail(ErrorCode::kInvalidArgument, "attachments are not enabled");
    GONGDAN_TRY(attachments_->link(c, who, in.attachment_ids, message.id));
  }
  if (in.idempotency_key && who.user.id)
    GONGDAN_TRY(
        store::remember_idempotent_ticket(c, who.user.id, *in.idempotency_key, created.id, now));
  if (customer || in.self_filed)
    for (auto* mailer : mailers_) GONGDAN_TRY(mailer->on_customer_ticket(c, created));
  GONGDAN_TRY(w.publish(events_, "ticket.created", created, message, /*new_ticket=*/true));
  result.ticket = created;
  result.replayed = false;
  for (auto id : {created.requester_id, created.assignee_id.value_or(0)}) {
    if (!id || result.people.contains(id)) continue;
    GONGDAN_ASSIGN(auto person, store::find_user(c, id));
    if (person) result.people.emplace(id, std::move(*person));
  }
  return {};
}

Result<std::optional<AssignmentChoice>> TicketsService::auto_assign(store::Connection& c, Ticket& t,
                                                                    const TriggerOutcome& triggered,
                                                                    bool department_applies,
                                                                    std::string_view why) {
  std::optional<AssignmentChoice> choice;
  if (!assigner_ || !t.department_id) return choice;
  if (triggered.assign_mode) {
    GONGDAN_ASSIGN(choice, assigner_->assign(c, t, "trigger rule=" + triggered.assign_rule,
                                             triggered.assign_mode));
  } else if (department_applies && !t.assignee_id) {
    GONGDAN_ASSIGN(choice, assigner_->assign(c, t, why));
  }
  if (choice) t.assignee_id = choice->agent_id;
  return choice;
}

Result<CreateResult> TicketsService::create(const Principal& who, NewTicket in) {
  GONGDAN_ASSIGN(auto plan, plan_create(who, std::move(in)));
  GONGDAN_TRY(db_.write([&](store::Connection& c) { return write_create(c, *plan); }));
  return plan->result;
}

void TicketsService::create_async(const Principal& who, NewTicket in, CreateDone done) {
  auto plan = plan_create(who, std::move(in));
  if (!plan) return done(fail(std::move(plan).error()));
  auto shared = std::move(*plan);
  db_.write_async([this, shared](store::Connection& c) { return write_create(c, *shared); },
                  [shared, done = std::move(done)](Result<void> written) {
                    if (!written) return done(fail(std::move(written).error()));
                    done(shared->result);
                  });
}

Result<Ticket> TicketsService::get(const Principal& who, std::int64_t number,
                                   std::map<std::int64_t, User>* people) {
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  Ticket ticket;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(ticket, visible_ticket(c, viewer, number, people));
    return {};
  }));
  return ticket;
}

Result<Ticket> TicketsService::update(const Principal& who, std::int64_t number,
                                      const TicketChanges& changes,
                                      std::optional<std::int64_t> if_match_version) {
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  Ticket updated;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto before, visible_ticket(c, viewer, number));
    GONGDAN_TRY(refuse_merged(before));
    if (if_match_version && *if_match_version != before.version)
      return fail(ErrorCode::kPreconditionFailed,
                  "the ticket changed since you loaded it; reload and try again");
    const Millis now = clock_.now_ms();
    GONGDAN_ASSIGN(auto after, apply_changes(*catalog, viewer, before, changes, now));
    if (changes.assignee_id) GONGDAN_TRY(check_assignee(c, *changes.assignee_id));
    TriggerOutcome triggered;
    if (triggers_) {
      GONGDAN_ASSIGN(triggered, triggers_->run(c, *catalog, &before, after, nullptr, now));
      if (after.assignee_id != before.assignee_id)
        GONGDAN_TRY(check_assignee(c, after.assignee_id));
    }
    GONGDAN_ASSIGN(auto assigned,
                   auto_assign(c, after, triggered, after.department_id != before.department_id,
                               "department_changed"));
    if (changes.organization_id && *changes.organization_id) {
      GONGDAN_ASSIGN(auto org, load_one(c, organization_resource(), **changes.organization_id));
      if (!org) return fail(ErrorCode::kInvalidArgument, "no such organization", "organization");
    }
    TicketWrite w{c, *catalog, who, now, via_of(who, "api"), db_, &hooks_};
    w.assigner = assigner_;
    for (auto follower : changes.add_followers) {
      GONGDAN_ASSIGN(auto user, store::find_user(c, follower));
      if (!user) return fail(ErrorCode::kInvalidArgument, "no such user", "followers");
      GONGDAN_TRY(store::add_follower(c, before.id, follower));
      GONGDAN_TRY(w.event(before.id, "followers", std::nullopt, std::to_string(follower)));
    }
    for (auto follower : changes.remove_followers) {
      GONGDAN_ASSIGN(bool removed, store::remove_follower(c, before.id, follower));
      if (removed)
        GONGDAN_TRY(w.event(before.id, "followers", std::to_string(follower), std::nullopt));
    }
    if (!changes_anything(before, after)) {
      updated = before;  // nothing to record: no new version, no event
      return {};
    }
    GONGDAN_ASSIGN(updated, w.save(before, after));
    if (assigned) GONGDAN_TRY(record_assignment(c, updated.id, now, *assigned, false));
    GONGDAN_TRY(record_triggers(w, updated, triggered));
    GONGDAN_TRY(w.publish(events_, "ticket.updated", updated));
    return {};
  }));
  return updated;
}

Result<void> TicketsService::apply_assignment(store::Connection& c, const Catalog& catalog,
                                              const Ticket& before,
                                              const std::optional<AssignmentChoice>& choice,
                                              std::string_view reason_if_none) {
  const Principal who = Principal::system();
  const Millis now = clock_.now_ms();
  TicketWrite w{c, catalog, who, now, "assignment", db_, &hooks_};
  w.assigner = assigner_;
  Ticket after = before;
  after.assignee_id = choice ? std::optional(choice->agent_id) : std::nullopt;
  if (after.assignee_id == before.assignee_id) return {};
  GONGDAN_ASSIGN(auto saved, w.save(before, after));
  GONGDAN_TRY(record_assignment(c, saved.id, now, choice.value_or(AssignmentChoice{}), false,
                                choice ? std::string() : std::string(reason_if_none)));
  return w.publish(events_, "ticket.updated", saved);
}

Result<std::vector<BulkItem>> TicketsService::bulk_update(const Principal& who,
                                                          const std::vector<std::int64_t>& numbers,
                                                          const TicketChanges& changes) {
  if (numbers.empty() || numbers.size() > 100)
    return fail(ErrorCode::kInvalidArgument, "send 1 to 100 ticket numbers", "numbers");
  if (changes.empty()) return fail(ErrorCode::kInvalidArgument, "nothing to change", "changes");
  std::vector<BulkItem> items;
  for (auto number : numbers) {
    auto result = update(who, number, changes, std::nullopt);
    BulkItem item{number, std::nullopt, std::nullopt};
    if (result)
      item.ticket = *result;
    else
      item.error = result.error();
    items.push_back(std::move(item));
  }
  return items;
}

Result<Message> TicketsService::add_message(const Principal& who, std::int64_t number,
                                            NewMessage in) {
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  // Customers have no internal notes to write (the ticket's notes do not exist for them).
  if (in.internal && !can_add_internal_note(viewer)) {
    if (!viewer.is_agent()) return fail(ErrorCode::kNotFound, "no such ticket");
    return fail(ErrorCode::kPermissionDenied, "your role may not add internal notes (tickets.note)",
                "internal");
  }
  if (!in.internal && !can_reply_publicly(viewer))
    return fail(ErrorCode::kPermissionDenied,
                viewer.custom_permissions ? "your role may not reply publicly (tickets.reply)"
                                          : "light agents may only add internal notes",
                "internal");
  GONGDAN_ASSIGN(auto body, validate_body(in.body));
  if (text::trim(body).empty() && in.html.empty())
    return fail(ErrorCode::kInvalidArgument, "is required", "body");
  if (!is_known_channel(in.channel))
    return fail(ErrorCode::kInvalidArgument, "unknown channel", "channel");
  GONGDAN_TRY(check_copies(in.copies, viewer.is_agent() && !in.internal));
  const std::string body_index = search::index_text(body);
  Message added;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto before, visible_ticket(c, viewer, number));
    GONGDAN_TRY(refuse_merged(before));
    const Millis now = clock_.now_ms();
    TicketWrite w{c, *catalog, who, now, via_of(who, in.channel), db_, &hooks_};
    w.assigner = assigner_;
    Ticket after = before;
    if (in.status_id || in.changes) {
      TicketChanges step = in.changes.value_or(TicketChanges{});
      if (in.status_id) step.status_id = in.status_id;
      GONGDAN_ASSIGN(after, apply_changes(*catalog, viewer, before, step, now));
      if (step.assignee_id) GONGDAN_TRY(check_assignee(c, *step.assignee_id));
    } else if (viewer.role == Role::kCustomer && !is_unsolved(before.category)) {
      // A customer writing back reopens a solved ticket.
      if (const auto* open = catalog->default_status(StatusCategory::kOpen))
        set_status(after, *open, now);
    } else if (viewer.is_agent() && !in.internal && before.category == StatusCategory::kNew) {
      if (const auto* open = catalog->default_status(StatusCategory::kOpen))
        set_status(after, *open, now);
    }
    Message m;
    m.author_id = who.user.id ? std::optional(who.user.id) : std::nullopt;
    m.internal = in.internal;
    m.body = body;
    m.html = in.html;
    m.channel = in.channel;
    TriggerOutcome triggered;
    if (triggers_) {
      GONGDAN_ASSIGN(triggered, triggers_->run(c, *catalog, &before, after, &m, now));
      if (after.assignee_id != before.assignee_id)
        GONGDAN_TRY(check_assignee(c, after.assignee_id));
    }
    const bool response = viewer.is_agent() && !in.internal;
    GONGDAN_ASSIGN(added, w.add_message(after, std::move(m), response, body_index));
    if (!in.attachment_ids.empty()) {
      if (!attachments_) return fail(ErrorCode::kInvalidArgument, "attachments are not enabled");
      GONGDAN_TRY(attachments_->link(c, who, in.attachment_ids, added.id));
    }
    GONGDAN_TRY(w.event(before.id, in.internal ? "internal_note" : "message", std::nullopt,
                        std::to_string(added.id)));
    GONGDAN_TRY(follow_copied(w, before, in.copies.cc));
    GONGDAN_ASSIGN(auto saved, w.save(before, after));
    if (response)
      for (auto* mailer : mailers_)
        GONGDAN_TRY(mailer->on_public_reply(c, saved, added, in.copies));
    GONGDAN_TRY(record_triggers(w, saved, triggered));
    GONGDAN_TRY(w.publish(events_, "message.created", saved, added));
    return {};
  }));
  return added;
}

template <class T, class Read>
Result<T> TicketsService::read_visible(const Principal& who, std::int64_t number, Read read) {
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  T out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto ticket, visible_ticket(c, viewer, number));
    GONGDAN_ASSIGN(out, read(c, viewer, ticket));
    return {};
  }));
  return out;
}

Result<std::vector<Message>> TicketsService::messages(const Principal& who, std::int64_t number,
                                                      std::int64_t after_id, int limit) {
  return read_visible<std::vector<Message>>(
      who, number, [&](store::Connection& c, const Viewer& viewer, const Ticket& ticket) {
        return store::list_messages(c, ticket.id, can_see_internal_notes(viewer), after_id, limit);
      });
}

Result<std::vector<TicketEvent>> TicketsService::history(const Principal& who, std::int64_t number,
                                                         std::int64_t after_id, int limit) {
  GONGDAN_ASSIGN(
      auto events,
      read_visible<std::vector<TicketEvent>>(
          who, number, [&](store::Connection& c, const Viewer& viewer, const Ticket& ticket) {
            // Customers read the part of the history that describes what they can see anyway.
            const auto only = viewer.is_agent()
                                  ? std::span<const std::string_view>()
                                  : std::span<const std::string_view>(kCustomerHistoryFields);
            return store::list_events(c, ticket.id, after_id, limit, can_see_internal_notes(viewer),
                                      only);
          }));
  return expand_rule_rows(std::move(events));
}

Result<std::vector<std::int64_t>> TicketsService::followers(const Principal& who,
                                                            std::int64_t number) {
  return read_visible<std::vector<std::int64_t>>(
      who, number, [](store::Connection& c, const Viewer&, const Ticket& ticket) {
        return store::list_followers(c, ticket.id);
      });
}

}  // namespace gongdan::services
