#include "services/ticket_write.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "domain/report_rollup.hpp"
#include "domain/search_text.hpp"
#include "models/language_detector.hpp"
#include "services/cluster_events.hpp"
#include "store/catalog_store.hpp"
#include "store/database.hpp"
#include "store/messages_store.hpp"
#include "store/report_store.hpp"
#include "store/search_index.hpp"
#include "store/tickets_store.hpp"
#include "store/users_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

void add_keys(std::map<std::string, std::int64_t>& deltas, const Ticket& t, int sign,
              const std::vector<SavedView>& views) {
  for (auto& key : count_keys(t)) deltas[key] += sign;
  for (const auto& view : views) {
    const auto filter = view.owner_id ? view.filter.for_viewer(*view.owner_id) : view.filter;
    if (!filter.uses_me() && !filter.counted_by_query() && matches(filter, t))
      deltas[saved_view_key(view.id)] += sign;
  }
}

std::string opt_id(const std::optional<std::int64_t>& id) {
  return id ? std::to_string(*id) : std::string();
}

}  // namespace

std::string tags_text(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& t : tags) out += (out.empty() ? "" : " ") + t;
  return out;
}

void set_status(Ticket& t, const Status& status, Millis now) {
  t.status_id = status.id;
  const bool was_solved = !is_unsolved(t.category);
  t.category = status.category;
  if (!is_unsolved(status.category) && !was_solved) t.solved_at = now;
  if (is_unsolved(status.category)) t.solved_at.reset();
}

Result<std::optional<std::int64_t>> TicketWrite::organization_of(std::int64_t user_id) {
  return store::organization_of_user(c, user_id);
}

Result<const std::vector<SavedView>*> TicketWrite::views() {
  if (fresh_views) return &*fresh_views;
  if (!catalog.views_stale()) return &catalog.views;
  GONGDAN_ASSIGN(auto loaded, load_saved_views(c, catalog));
  fresh_views = std::move(loaded);
  return &*fresh_views;
}

Result<void> TicketWrite::add_rollups(const Ticket& before, const Ticket& after,
                                      std::map<std::string, std::int64_t>& deltas) {
  if (!rollups_kept()) {
    std::erase_if(agent_replies, [&](const auto& reply) { return reply.first == after.id; });
    return {};
  }
  const auto select = select_field_keys(catalog.fields);
  ReportState state = report_state_of(before, select);
  if (is_unsolved(before.category) && !is_unsolved(after.category)) {
    // A solve counts the agent replies before it (replies to resolution, one-touch): those in
    // the history, less this write's own, which rollup_agent_reply adds below.
    GONGDAN_ASSIGN(state.replies, store::agent_reply_count(c, after.id));
    state.replies -= std::count_if(agent_replies.begin(), agent_replies.end(),
                                   [&](const auto& reply) { return reply.first == after.id; });
  }
  std::erase_if(agent_replies, [&](const auto& reply) {
    if (reply.first != after.id) return false;
    rollup_agent_reply(state, reply.second, now, deltas);
    return true;
  });
  rollup_change(state, report_state_of(after, select), now, deltas);
  return {};
}

Result<TicketWrite::Person> TicketWrite::resolve_requester(const Requester& r) {
  const std::string email = text::trim(r.email);
  if (!text::looks_like_email(email))
    return fail(ErrorCode::kInvalidArgument, "not a valid email address", "requester.email");
  GONGDAN_ASSIGN(auto existing, store::find_user_by_email(c, email));
  if (existing) return Person{existing->user.id, existing->user.organization_id, existing->user};
  GONGDAN_ASSIGN(auto by_identity, store::find_user_by_identity(c, "email", email));
  if (by_identity) {
    GONGDAN_ASSIGN(auto organization, organization_of(*by_identity));
    return Person{*by_identity, organization, std::nullopt};
  }
  User u;
  u.role = Role::kCustomer;
  u.email = email;
  u.name = text::strip_controls(text::trim(r.name));
  if (u.name.size() > kMaxNameLength || !text::is_valid_utf8(u.name))
    return fail(ErrorCode::kInvalidArgument, "the name is too long or not valid text",
                "requester.name");
  u.created_at = u.updated_at = now;
  // Two writers (nodes) may each create this new requester at once: the second finds the
  // first's row once it commits, rather than failing the ticket.
  GONGDAN_ASSIGN(auto inserted, store::insert_user_unless_taken(c, u));
  if (!inserted) {
    GONGDAN_ASSIGN(auto raced, store::find_user_by_email(c, email));
    if (!raced) return fail(ErrorCode::kConflict, "the requester changed meanwhile", "requester");
    return Person{raced->user.id, raced->user.organization_id, raced->user};
  }
  u.id = *inserted;
  GONGDAN_TRY(db.search_index().index_contact(c, u.id, search::contact_text(u.name, u.email)));
  auto domain = email.substr(email.find('@') + 1);
  GONGDAN_ASSIGN(auto org, store::find_organization_by_domain(c, domain));
  if (!org) return Person{u.id, std::nullopt, u};
  GONGDAN_TRY(store::set_organization_of_user(c, u.id, *org));
  u.organization_id = *org;
  return Person{u.id, *org, u};
}

// Records an automatic assignment and why, in the ticket's history.
Result<void> record_assignment(store::Connection& c, std::int64_t ticket_id, Millis now,
                               const AssignmentChoice& choice, bool with_assignee_event,
                               std::string reason) {
  TicketEvent e;
  e.ticket_id = ticket_id;
  e.at = now;
  e.via = "assignment";
  if (with_assignee_event) {
    e.field = "assignee";
    e.new_value = std::to_string(choice.agent_id);
    GONGDAN_TRY(store::insert_event(c, e));
  }
  e.field = "assignment";
  e.new_value = reason.empty() ? choice.reason : std::move(reason);
  return store::insert_event(c, e);
}

Result<void> TicketWrite::event(std::int64_t ticket_id, std::string_view field,
                                std::optional<std::string> old_value,
                                std::optional<std::string> new_value) {
  TicketEvent e;
  e.ticket_id = ticket_id;
  e.at = now;
  e.actor_id = who.user.id ? std::optional(who.user.id) : std::nullopt;
  e.via = via;
  e.field = std::string(field);
  e.old_value = std::move(old_value);
  e.new_value = std::move(new_value);
  if (e.field == "message" && e.actor_id && who.is_agent())
    agent_replies.emplace_back(ticket_id, *e.actor_id);
  return store::insert_event(c, e);
}

Result<Ticket> TicketWrite::insert(Ticket t, std::string subject_index,
                                   std::optional<std::string> triage_changes) {
  t.number = 0;
  t.created_at = t.updated_at = now;
  t.version = 1;
  if (hooks)
    for (auto* hook : *hooks) GONGDAN_TRY(hook->before_insert(c, t, catalog, now));
  GONGDAN_TRY(store::insert_ticket(c, t));
  GONGDAN_TRY(store::replace_tags(c, t.id, {}, t.tags));
  std::map<std::string, std::int64_t> deltas;
  GONGDAN_ASSIGN(const auto* saved_views, views());
  add_keys(deltas, t, +1, *saved_views);
  if (rollups_kept())
    rollup_created(report_state_of(t, select_field_keys(catalog.fields)), now, deltas);
  for (const auto& [key, delta] : deltas) c.add_count(key, delta);
  if (subject_index.empty()) subject_index = search::index_text(t.subject);
  GONGDAN_TRY(db.search_index().index_ticket(c, t.id, subject_index, tags_text(t.tags)));
  GONGDAN_TRY(event(t.id, "created", std::move(triage_changes), "#" + std::to_string(t.number)));
  return t;
}

Result<Ticket> TicketWrite::save(const Ticket& before, Ticket after) {
  after.version = before.version + 1;
  after.updated_at = now;
  GONGDAN_ASSIGN(bool saved, store::update_ticket(c, after, before.version));
  if (!saved)
    return fail(ErrorCode::kPreconditionFailed,
                "the ticket changed since you loaded it; reload and try again");
  auto status_name = [&](std::int64_t id) {
    const auto* s = catalog.status(id);
    return s ? s->name : std::to_string(id);
  };
  if (before.subject != after.subject)
    GONGDAN_TRY(event(after.id, "subject", before.subject, after.subject));
  if (before.status_id != after.status_id)
    GONGDAN_TRY(
        event(after.id, "status", status_name(before.status_id), status_name(after.status_id)));
  if (before.priority != after.priority)
    GONGDAN_TRY(event(after.id, "priority", std::string(priority_name(before.priority)),
                      std::string(priority_name(after.priority))));
  if (before.type != after.type)
    GONGDAN_TRY(event(after.id, "type", std::string(type_name(before.type)),
                      std::string(type_name(after.type))));
  if (before.department_id != after.department_id)
    GONGDAN_TRY(
        event(after.id, "department", opt_id(before.department_id), opt_id(after.department_id)));
  if (before.assignee_id != after.assignee_id)
    GONGDAN_TRY(event(after.id, "assignee", opt_id(before.assignee_id), opt_id(after.assignee_id)));
  if (before.organization_id != after.organization_id)
    GONGDAN_TRY(event(after.id, "organization", opt_id(before.organization_id),
                      opt_id(after.organization_id)));
  if (before.tags != after.tags) {
    GONGDAN_TRY(event(after.id, "tags", tags_text(before.tags), tags_text(after.tags)));
    GONGDAN_TRY(store::replace_tags(c, after.id, before.tags, after.tags));
  }
  if (before.custom_fields != after.custom_fields)
    GONGDAN_TRY(event(after.id, "custom_fields", before.custom_fields, after.custom_fields));
  if (before.merged_into != after.merged_into)
    GONGDAN_TRY(
        event(after.id, "merged_into", opt_id(before.merged_into), opt_id(after.merged_into)));
  if (assigner && before.assignee_id && is_unsolved(before.category) &&
      (after.assignee_id != before.assignee_id || !is_unsolved(after.category)))
    GONGDAN_TRY(assigner->on_load_drop(c, *before.assignee_id, now));
  std::map<std::string, std::int64_t> deltas;
  GONGDAN_ASSIGN(const auto* saved_views, views());
  add_keys(deltas, before, -1, *saved_views);
  add_keys(deltas, after, +1, *saved_views);
  GONGDAN_TRY(add_rollups(before, after, deltas));
  for (const auto& [key, delta] : deltas) c.add_count(key, delta);
  if (before.subject != after.subject || before.tags != after.tags) {
    auto& index = db.search_index();
    GONGDAN_TRY(index.unindex_ticket(c, before.id, search::index_text(before.subject),
                                     tags_text(before.tags)));
    GONGDAN_TRY(
        index.index_ticket(c, after.id, search::index_text(after.subject), tags_text(after.tags)));
  }
  return after;
}

Result<void> TicketWrite::remove(const Ticket& t) {
  std::map<std::string, std::int64_t> deltas;
  GONGDAN_ASSIGN(const auto* saved_views, views());
  add_keys(deltas, t, -1, *saved_views);
  for (const auto& [key, delta] : deltas) c.add_count(key, delta);
  return db.search_index().unindex_ticket(c, t.id, search::index_text(t.subject),
                                          tags_text(t.tags));
}

Result<Message> TicketWrite::add_message(Ticket& ticket, Message m, bool count_as_response,
                                         std::string body_index) {
  m.ticket_id = ticket.id;
  m.created_at = now;
  GONGDAN_ASSIGN(m.id, store::insert_message(c, m));
  if (body_index.empty()) body_index = search::index_text(m.body);
  GONGDAN_TRY(db.search_index().index_message(c, m.id, body_index));
  if (count_as_response && !ticket.first_response_at) ticket.first_response_at = now;
  // The requester's words tell the ticket's language, once: its rules, acknowledgement and
  // survey read it (a subject alone is often too short for CLD2, so the first message helps).
  if (ticket.language.empty() && !m.internal && m.author_id == ticket.requester_id) {
    if (auto language = models::detect_language(ticket.subject + "\n" + m.body)) {
      GONGDAN_TRY(store::set_ticket_language(c, ticket.id, *language));
      ticket.language = std::move(*language);
    }
  }
  return m;
}

Result<void> TicketWrite::publish(TicketEventBus& bus, std::string type, Ticket& ticket,
                                  std::optional<Message> message, bool new_ticket) {
  TicketChange change{std::move(type),
                      ticket,
                      std::move(message),
                      who.user.id ? std::optional(who.user.id) : std::nullopt,
                      {}};
  change.triaged = triaged;
  if (!new_ticket)
    if (auto followers = store::list_followers(c, ticket.id)) change.followers = *followers;
  if (hooks && !hooks->empty()) {
    for (auto* hook : *hooks) GONGDAN_TRY(hook->on_change(c, change, catalog, now));
    ticket = change.ticket;
  }
  if (c.notifies()) {
    // The other nodes hear of it when this commits.
    boost::json::object note{{"node", bus.node_id()},
                             {"type", change.type},
                             {"ticket", change.ticket.id},
                             {"message", change.message ? change.message->id : 0},
                             {"actor", change.actor_id.value_or(0)}};
    GONGDAN_TRY(c.notify(kTicketEventsChannel, boost::json::serialize(note)));
  }
  c.after_commit([&bus, change = std::move(change)] { bus.publish(change); });
  return {};
}

Result<Ticket> apply_changes(const Catalog& catalog, const Viewer& viewer, const Ticket& ticket,
                             const TicketChanges& ch, Millis now) {
  Ticket t = ticket;
  if (viewer.role == Role::kCustomer) {
    // Customers own only one decision: marking their ticket solved.
    auto deny = [](std::string_view field) {
      return fail(ErrorCode::kPermissionDenied, "customers may not change this field",
                  std::string(field));
    };
    if (ch.subject) return deny("subject");
    if (ch.priority) return deny("priority");
    if (ch.type) return deny("type");
    if (ch.department_id) return deny("department");
    if (ch.assignee_id) return deny("assignee");
    if (ch.organization_id) return deny("organization");
    if (ch.tags || !ch.add_tags.empty() || !ch.remove_tags.empty()) return deny("tags");
    if (ch.custom_fields) return deny("custom_fields");
    if (!ch.add_followers.empty() || !ch.remove_followers.empty()) return deny("followers");
    if (ch.status_id) {
      const auto* s = catalog.status(*ch.status_id);
      if (!s || s->category != StatusCategory::kSolved) return deny("status");
      set_status(t, *s, now);
    }
    return t;
  }
  // The assignee and the department are tickets.assign's; every other field tickets.edit's.
  const bool assigns = ch.assignee_id || ch.department_id;
  const bool edits = ch.subject || ch.status_id || ch.priority || ch.type || ch.organization_id ||
                     ch.tags || !ch.add_tags.empty() || !ch.remove_tags.empty() ||
                     ch.custom_fields || !ch.add_followers.empty() || !ch.remove_followers.empty();
  if (!can_edit_ticket_fields(viewer) && (edits || !assigns))
    return fail(ErrorCode::kPermissionDenied,
                viewer.role == Role::kLightAgent && !viewer.custom_permissions
                    ? "light agents may only add internal notes"
                    : "your role may not change ticket fields (tickets.edit)");
  if (assigns && !can_assign_tickets(viewer))
    return fail(ErrorCode::kPermissionDenied, "your role may not assign tickets (tickets.assign)",
                ch.assignee_id ? "assignee" : "department");
  if (ch.subject) {
    GONGDAN_ASSIGN(t.subject, validate_subject(*ch.subject));
  }
  if (ch.status_id) {
    const auto* s = catalog.status(*ch.status_id);
    if (!s || !s->active) return fail(ErrorCode::kInvalidArgument, "no such status", "status");
    set_status(t, *s, now);
  }
  if (ch.priority) t.priority = *ch.priority;
  if (ch.type) t.type = *ch.type;
  if (ch.department_id) {
    if (*ch.department_id && !catalog.department(**ch.department_id))
      return fail(ErrorCode::kInvalidArgument, "no such department", "department");
    t.department_id = *ch.department_id;
  }
  if (ch.assignee_id) t.assignee_id = *ch.assignee_id;  // checked against users by the caller
  if (ch.organization_id) t.organization_id = *ch.organization_id;
  if (ch.tags) {
    GONGDAN_ASSIGN(t.tags, normalize_tags(*ch.tags));
  }
  if (!ch.add_tags.empty() || !ch.remove_tags.empty()) {
    auto tags = t.tags;
    GONGDAN_ASSIGN(auto added, normalize_tags(ch.add_tags));
    GONGDAN_ASSIGN(auto removed, normalize_tags(ch.remove_tags));
    tags.insert(tags.end(), added.begin(), added.end());
    std::erase_if(tags, [&](const std::string& x) {
      return std::find(removed.begin(), removed.end(), x) != removed.end();
    });
    GONGDAN_ASSIGN(t.tags, normalize_tags(tags));
  }
  if (ch.custom_fields) {
    boost::system::error_code ec;
    auto current = boost::json::parse(t.custom_fields, ec);
    boost::json::object base =
        !ec && current.is_object() ? current.as_object() : boost::json::object{};
    GONGDAN_ASSIGN(auto merged, merge_field_values(catalog.fields, base, *ch.custom_fields));
    t.custom_fields = boost::json::serialize(merged);
  }
  return t;
}

}  // namespace gongdan::services
