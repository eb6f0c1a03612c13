// ChatService: sessions, the visitor's and the agents' side, the queue (chat_service.hpp says
// what and why).
#include "services/chat_service.hpp"

#include "domain/search_text.hpp"
#include "services/assignment_service.hpp"
#include "services/resource_load.hpp"
#include "services/ticket_write.hpp"
#include "store/assignment_store.hpp"
#include "store/attachments_store.hpp"
#include "store/chat_store.hpp"
#include "store/messages_store.hpp"
#include "store/tickets_store.hpp"
#include "store/users_store.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

constexpr Millis kMinute = 60 * 1000;

Error limited(Millis window_ms, std::string_view what) {
  Error error{ErrorCode::kRateLimited, "too many " + std::string(what) + "; try again shortly", {}};
  error.retry_after_seconds = static_cast<int>(window_ms / 1000);
  return error;
}

// The first line of the question, cut to a subject's length.
std::string subject_of(const std::string& question) {
  std::string s = text::trim(question);
  s = text::cut_utf8(text::trim(s.substr(0, s.find('\n'))), 120);
  return s.empty() ? std::string("Chat") : s;
}

Result<std::optional<ChatWidget>> widget_of_department(store::Connection& c,
                                                       std::int64_t department_id) {
  GONGDAN_ASSIGN(auto all, load_all(c, chat_widget_resource()));
  for (auto& w : all)
    if (w.department_id == department_id) return std::optional<ChatWidget>(std::move(w));
  return std::optional<ChatWidget>{};
}

struct Choice {
  bool anyone_online = false;
  std::optional<AssignmentChoice> agent;
};

// An agent of the department for a chat: the department's strategy (least loaded when it has
// none, for a chat cannot wait for someone to assign it by hand) among the online agents below
// the widget's capacity, counting each agent's live chats of every department.
Result<Choice> choose(store::Connection& c, std::int64_t department_id, Millis now) {
  GONGDAN_ASSIGN(auto widget, widget_of_department(c, department_id));
  const std::int64_t cap = widget ? widget->max_chats_per_agent : ChatWidget{}.max_chats_per_agent;
  AssignmentMode mode = AssignmentMode::kLeastLoaded;
  GONGDAN_ASSIGN(auto settings, load_all(c, assignment_settings_resource()));
  for (const auto& s : settings)
    if (s.department_id == department_id && s.mode != AssignmentMode::kManual) mode = s.mode;
  // Skills describe tickets, not a question typed into a chat box.
  if (mode == AssignmentMode::kSkillBased) mode = AssignmentMode::kLeastLoaded;
  GONGDAN_ASSIGN(auto loads, store::department_agent_loads(c, department_id));
  GONGDAN_ASSIGN(auto chats, store::live_chats_by_agent(c));
  Choice out;
  std::vector<AssignmentCandidate> candidates;
  for (const auto& l : loads) {
    const bool online = l.availability == "online";
    out.anyone_online = out.anyone_online || online;
    auto held = chats.find(l.agent_id);
    candidates.push_back({l.agent_id, held == chats.end() ? 0 : held->second, online, {}});
  }
  std::optional<std::int64_t> last;
  if (mode == AssignmentMode::kRoundRobin) {
    GONGDAN_ASSIGN(last, store::lock_assignment_pointer(c, department_id));
  }
  out.agent = choose_assignee(mode, candidates, cap, last);
  if (out.agent && mode == AssignmentMode::kRoundRobin)
    GONGDAN_TRY(store::set_last_assigned(c, department_id, out.agent->agent_id, now));
  if (out.agent) out.agent->reason += "; live_chat";
  return out;
}

}  // namespace

ChatService::ChatService(store::Database& db, const Clock& clock, Directory& directory,
                         TicketEventBus& events, const SecretBox& secrets, TicketsService& tickets,
                         AttachmentsService& attachments, std::string public_url)
    : db_(db),
      clock_(clock),
      directory_(directory),
      events_(events),
      secrets_(secrets),
      tickets_(tickets),
      attachments_(attachments),
      public_url_(std::move(public_url)),
      starts_(clock, 30, 10 * kMinute),
      messages_by_session_(clock, 30, kMinute),
      messages_by_address_(clock, 120, kMinute),
      typing_(clock, 60, kMinute) {
  while (public_url_.ends_with('/')) public_url_.pop_back();
}

std::string ChatService::token_of(const ChatSession& s) const {
  const std::string id = std::to_string(s.id);
  return id + "." + secrets_.mac("chat-session:" + id + ":" + s.nonce);
}

Result<WidgetInfo> ChatService::widget(std::int64_t id) {
  WidgetInfo info;
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto w, load_one(c, chat_widget_resource(), id));
    if (!w || !w->enabled) return fail(ErrorCode::kNotFound, "no such chat widget");
    info.widget = *w;
    GONGDAN_ASSIGN(auto loads, store::department_agent_loads(c, w->department_id));
    for (const auto& l : loads) info.online = info.online || l.availability == "online";
    return {};
  }));
  if (const auto* d = catalog->department(info.widget.department_id))
    info.department_name = d->name;
  return info;
}

Result<ChatView> ChatService::start(ChatStart in) {
  if (!starts_.allow(in.ip)) return fail(limited(starts_.window_ms(), "chats from this address"));
  in.email = text::trim(in.email);
  if (!text::looks_like_email(in.email))
    return fail(ErrorCode::kInvalidArgument, "not a valid email address", "email");
  in.name = text::cut_utf8(text::strip_controls(text::trim(in.name)), 200);
  if (in.name.empty()) in.name = in.email.substr(0, in.email.find('@'));
  const std::string question = text::strip_controls(text::trim(in.question), true);
  if (question.empty()) return fail(ErrorCode::kInvalidArgument, "ask your question", "question");
  if (question.size() > kMaxChatMessageLength)
    return fail(ErrorCode::kPayloadTooLarge,
                "a chat message is at most " + std::to_string(kMaxChatMessageLength) + " bytes",
                "question");
  GONGDAN_ASSIGN(auto info, widget(in.widget_id));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  const std::string index = search::index_text(question);
  Principal system = Principal::system();
  system.ip = in.ip;
  ChatSession session;
  Ticket ticket;
  bool offline = false;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    const Millis now = clock_.now_ms();
    TicketWrite w{c, *catalog, system, now, "chat", db_, hooks_};
    GONGDAN_ASSIGN(auto person, w.resolve_requester(Requester{in.email, in.name}));
    GONGDAN_ASSIGN(auto user, store::find_user(c, person.id));
    // A visitor acts as the contact on the chat's ticket: never as a member of staff.
    if (!user || user->role != Role::kCustomer || !user->active)
      return fail(ErrorCode::kConflict, "this address cannot start a chat; sign in instead",
                  "email");
    GONGDAN_ASSIGN(auto choice, choose(c, info.widget.department_id, now));
    Ticket t;
    t.subject = subject_of(question);
    t.channel = "chat";
    t.department_id = info.widget.department_id;
    t.requester_id = person.id;
    t.organization_id = person.organization_id;
    const Status* status = catalog->default_status(StatusCategory::kNew);
    if (!status) return fail(ErrorCode::kInternal, "no status of category new");
    set_status(t, *status, now);
    if (choice.agent) t.assignee_id = choice.agent->agent_id;
    GONGDAN_ASSIGN(ticket, w.insert(t));
    if (choice.agent) GONGDAN_TRY(record_assignment(c, ticket.id, now, *choice.agent, true));
    Message m;
    m.author_id = person.id;
    m.body = question;
    m.channel = "chat";
    GONGDAN_ASSIGN(auto added, w.add_message(ticket, std::move(m), false, index));
    GONGDAN_ASSIGN(ticket, tickets_.run_creation_triggers(c, ticket, added));
    offline = !choice.anyone_online;
    session.widget_id = info.widget.id;
    session.ticket_id = ticket.id;
    session.visitor_id = person.id;
    session.state = std::string(chat_state_name(offline ? ChatState::kOffline : ChatState::kLive));
    session.nonce = crypto::random_token(16);
    session.visitor_read = added.id;
    session.ip = in.ip;
    session.created_at = now;
    if (offline) session.ended_at = now;
    GONGDAN_ASSIGN(session.id, store::insert_chat_session(c, session));
    return w.publish(events_, "ticket.created", ticket, added, true);
  }));
  ChatView view;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(view, view_of(c, session, ticket, 0));
    return {};
  }));
  view.token = token_of(session);
  return view;
}

Result<ChatSide> ChatService::as_visitor(std::int64_t session_id, std::string_view token) {
  const auto dot = token.find('.');
  const auto id = text::parse_id(token.substr(0, dot));
  if (dot == std::string_view::npos || !id || *id != session_id)
    return fail(ErrorCode::kUnauthenticated, "this chat's token is not valid");
  ChatSide side;
  side.visitor = true;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto s, store::find_chat_session(c, session_id));
    if (!s || !crypto::equal_constant_time(token, token_of(*s)))
      return fail(ErrorCode::kUnauthenticated, "this chat's token is not valid");
    side.session = std::move(*s);
    GONGDAN_ASSIGN(auto t, store::find_ticket(c, side.session.ticket_id));
    GONGDAN_ASSIGN(auto visitor, store::find_user(c, side.session.visitor_id));
    if (!t || !visitor) return fail(ErrorCode::kNotFound, "this chat is gone");
    side.ticket = std::move(*t);
    side.who.user = std::move(*visitor);
    side.who.via = CredentialKind::kSession;
    return {};
  }));
  return side;
}

Result<ChatSide> ChatService::as_agent(const Principal& who, std::int64_t session_id) {
  if (!who.is_agent()) return fail(ErrorCode::kPermissionDenied, "only agents answer chats");
  ChatSide side;
  side.who = who;
  GONGDAN_ASSIGN(auto found, store::read_value(db_, [&](store::Connection& c) {
                   return store::find_chat_session(c, session_id);
                 }));
  if (!found) return fail(ErrorCode::kNotFound, "no such chat");
  side.session = std::move(*found);
  GONGDAN_ASSIGN(auto number, store::read_value(db_, [&](store::Connection& c) {
                   return store::find_ticket(c, side.session.ticket_id);
                 }));
  if (!number) return fail(ErrorCode::kNotFound, "no such chat");
  // The same check as reading the ticket.
  auto visible = tickets_.get(who, number->number);
  if (!visible) return fail(ErrorCode::kNotFound, "no such chat");
  side.ticket = std::move(*visible);
  return side;
}

Result<ChatView> ChatService::view_of(store::Connection& c, const ChatSession& s, const Ticket& t,
                                      std::int64_t after_id) {
  ChatView v;
  v.session = s;
  v.ticket = t;
  GONGDAN_ASSIGN(auto visitor, store::find_user(c, s.visitor_id));
  if (visitor) v.visitor = *visitor;
  if (t.assignee_id) {
    GONGDAN_ASSIGN(v.agent, store::find_user(c, *t.assignee_id));
  }
  if (s.state == "live" && !t.assignee_id && t.department_id) {
    GONGDAN_ASSIGN(auto queue, store::queued_chats(c, *t.department_id));
    auto at = std::find(queue.begin(), queue.end(), s.id);
    if (at != queue.end()) v.queue_position = (at - queue.begin()) + 1;
  }
  if (after_id >= 0) {
    GONGDAN_ASSIGN(v.messages, store::list_messages(c, t.id, false, after_id, 500));
    std::vector<std::int64_t> ids;
    for (const auto& m : v.messages) {
      ids.push_back(m.id);
      if (m.author_id && !v.authors.contains(*m.author_id)) {
        GONGDAN_ASSIGN(auto author, store::find_user(c, *m.author_id));
        v.authors[*m.author_id] = author ? author->name : std::string();
      }
    }
    GONGDAN_ASSIGN(v.attachments, store::attachments_of_messages(c, ids));
  }
  return v;
}

Result<ChatView> ChatService::view(const ChatSide& side, std::int64_t after_id) {
  ChatView v;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(v, view_of(c, side.session, side.ticket, after_id));
    return {};
  }));
  return v;
}

Result<Message> ChatService::send(const ChatSide& side, std::string body,
                                  std::vector<std::int64_t> attachment_ids) {
  if (side.session.state != "live")
    return fail(ErrorCode::kConflict, "this chat has ended; reply on the ticket instead");
  if (side.visitor) {
    if (!messages_by_session_.allow("s" + std::to_string(side.session.id)))
      return fail(limited(messages_by_session_.window_ms(), "messages in this chat"));
    if (!messages_by_address_.allow(side.session.ip))
      return fail(limited(messages_by_address_.window_ms(), "messages from this address"));
  }
  if (body.size() > kMaxChatMessageLength)
    return fail(ErrorCode::kPayloadTooLarge,
                "a chat message is at most " + std::to_string(kMaxChatMessageLength) + " bytes",
                "body");
  body = text::strip_controls(body, true);
  if (text::trim(body).empty() && !attachment_ids.empty()) body = "(file)";
  NewMessage m;
  m.body = std::move(body);
  m.channel = "chat";
  m.attachment_ids = std::move(attachment_ids);
  GONGDAN_ASSIGN(auto added, tickets_.add_message(side.who, side.ticket.number, std::move(m)));
  GONGDAN_TRY(db_.write([&](store::Connection& c) {
    return store::mark_chat_read(c, side.session.id, side.visitor, added.id);
  }));
  return added;
}

Result<void> ChatService::publish(const Ticket& ticket, std::string_view type,
                                  std::optional<std::int64_t> actor) {
  TicketChange change;
  change.type = std::string(type);
  change.ticket = ticket;
  change.actor_id = actor;
  events_.publish(change);
  return {};
}

Result<void> ChatService::read(const ChatSide& side, std::int64_t message_id) {
  GONGDAN_ASSIGN(auto message, store::read_value(db_, [&](store::Connection& c) {
                   return store::find_message(c, message_id);
                 }));
  if (!message || message->ticket_id != side.ticket.id || message->internal)
    return fail(ErrorCode::kInvalidArgument, "not a message of this chat", "message_id");
  GONGDAN_TRY(db_.write([&](store::Connection& c) {
    return store::mark_chat_read(c, side.session.id, side.visitor, message_id);
  }));
  return publish(side.ticket, "chat.read", side.who.user.id);
}

Result<void> ChatService::typing(const ChatSide& side) {
  if (side.session.state != "live") return fail(ErrorCode::kConflict, "this chat has ended");
  if (!typing_.allow((side.visitor ? "v" : "a") + std::to_string(side.session.id)))
    return fail(limited(typing_.window_ms(), "typing notices"));
  return publish(side.ticket, "chat.typing", side.who.user.id);
}

Result<ChatView> ChatService::end(const ChatSide& side) {
  ChatView v;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto s, store::find_chat_session(c, side.session.id));
    if (!s) return fail(ErrorCode::kNotFound, "no such chat");
    GONGDAN_ASSIGN(auto t, store::find_ticket(c, s->ticket_id));
    if (!t) return fail(ErrorCode::kNotFound, "no such chat");
    if (s->state == "live") {
      GONGDAN_TRY(store::end_chat_session(c, s->id, clock_.now_ms()));
      s->state = "ended";
      s->ended_at = clock_.now_ms();
      // Its agent has room for the next one waiting.
      if (t->assignee_id && t->department_id) GONGDAN_TRY(drain(c, *t->department_id));
    }
    GONGDAN_ASSIGN(v, view_of(c, *s, *t, -1));
    return {};
  }));
  GONGDAN_TRY(publish(v.ticket, "chat.ended", side.who.user.id));
  return v;
}

Result<void> ChatService::drain(store::Connection& c, std::int64_t department_id) {
  GONGDAN_ASSIGN(auto queue, store::queued_chats(c, department_id));
  if (queue.empty()) return {};
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  const Millis now = clock_.now_ms();
  const Principal system = Principal::system();
  for (auto id : queue) {
    GONGDAN_ASSIGN(auto choice, choose(c, department_id, now));
    if (!choice.agent) break;
    GONGDAN_ASSIGN(auto s, store::find_chat_session(c, id));
    if (!s) continue;
    GONGDAN_ASSIGN(auto before, store::find_ticket(c, s->ticket_id));
    if (!before) continue;
    Ticket after = *before;
    after.assignee_id = choice.agent->agent_id;
    TicketWrite w{c, *catalog, system, now, "chat", db_, hooks_};
    GONGDAN_ASSIGN(auto saved, w.save(*before, after));
    GONGDAN_TRY(record_assignment(c, saved.id, now, *choice.agent, false));
    GONGDAN_TRY(w.publish(events_, "ticket.updated", saved));
  }
  return {};
}

Result<Attachment> ChatService::upload(const ChatSide& side, std::string_view filename,
                                       std::string_view claimed_type, std::string_view bytes) {
  if (side.session.state != "live") return fail(ErrorCode::kConflict, "this chat has ended");
  if (bytes.size() > kMaxChatFileBytes)
    return fail(ErrorCode::kPayloadTooLarge,
                "a file sent in a chat is at most " +
                    std::to_string(kMaxChatFileBytes / (1024 * 1024)) + " MB",
                "file");
  if (!messages_by_session_.allow("s" + std::to_string(side.session.id)))
    return fail(limited(messages_by_session_.window_ms(), "messages in this chat"));
  return attachments_.upload(side.who, filename, claimed_type, bytes);
}

Result<Download> ChatService::download(const ChatSide& side, std::int64_t attachment_id) {
  GONGDAN_ASSIGN(auto file, attachments_.download(side.who, attachment_id));
  if (file.row.message_id) {
    GONGDAN_ASSIGN(auto message, store::read_value(db_, [&](store::Connection& c) {
                     return store::find_message(c, *file.row.message_id);
                   }));
    // This chat's files only, whatever else the contact may see.
    if (!message || message->ticket_id != side.ticket.id || message->internal)
      return fail(ErrorCode::kNotFound, "no such attachment");
  }
  return file;
}

Result<std::vector<ChatView>> ChatService::list(const Principal& who) {
  if (!who.is_agent()) return fail(ErrorCode::kPermissionDenied, "only agents answer chats");
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  std::vector<ChatView> out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    out.clear();
    GONGDAN_ASSIGN(auto sessions, store::live_chats_for(c, who.user.id));
    for (const auto& s : sessions) {
      GONGDAN_ASSIGN(auto t, store::find_ticket(c, s.ticket_id));
      if (!t || !can_see_ticket(viewer, *t)) continue;
      GONGDAN_ASSIGN(auto v, view_of(c, s, *t, -1));
      out.push_back(std::move(v));
    }
    return {};
  }));
  return out;
}

Result<std::optional<ChatView>> ChatService::accept(const Principal& who) {
  if (!who.is_agent()) return fail(ErrorCode::kPermissionDenied, "only agents answer chats");
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  std::optional<ChatView> taken;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    taken.reset();
    const Millis now = clock_.now_ms();
    GONGDAN_ASSIGN(auto held, store::live_chats_by_agent(c));
    const std::int64_t mine = held.contains(who.user.id) ? held[who.user.id] : 0;
    GONGDAN_ASSIGN(auto sessions, store::live_chats_for(c, who.user.id));
    for (const auto& s : sessions) {
      GONGDAN_ASSIGN(auto before, store::find_ticket(c, s.ticket_id));
      if (!before || before->assignee_id || !can_see_ticket(viewer, *before)) continue;
      std::optional<ChatWidget> widget;
      if (before->department_id) {
        GONGDAN_ASSIGN(widget, widget_of_department(c, *before->department_id));
      }
      const auto cap = widget ? widget->max_chats_per_agent : ChatWidget{}.max_chats_per_agent;
      if (mine >= cap)
        return fail(ErrorCode::kConflict, "you hold as many chats as you may at once");
      Ticket after = *before;
      after.assignee_id = who.user.id;
      TicketWrite w{c, *catalog, who, now, "chat", db_, hooks_};
      GONGDAN_ASSIGN(auto saved, w.save(*before, after));
      GONGDAN_TRY(w.publish(events_, "ticket.updated", saved));
      GONGDAN_ASSIGN(auto v, view_of(c, s, saved, 0));
      taken = std::move(v);
      return {};
    }
    return {};
  }));
  return taken;
}

Result<ChatView> ChatService::transfer(const ChatSide& side, std::optional<std::int64_t> agent_id,
                                       std::optional<std::int64_t> department_id) {
  if (side.visitor) return fail(ErrorCode::kPermissionDenied, "only agents transfer chats");
  if (agent_id.has_value() == department_id.has_value())
    return fail(ErrorCode::kInvalidArgument, "name an agent or a department", "agent_id");
  if (side.session.state != "live") return fail(ErrorCode::kConflict, "this chat has ended");
  GONGDAN_ASSIGN(auto catalog, directory_.catalog());
  if (department_id && !catalog->department(*department_id))
    return fail(ErrorCode::kInvalidArgument, "no such department", "department_id");
  ChatView v;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    const Millis now = clock_.now_ms();
    GONGDAN_ASSIGN(auto before, store::find_ticket(c, side.session.ticket_id));
    if (!before) return fail(ErrorCode::kNotFound, "no such chat");
    Ticket after = *before;
    std::optional<AssignmentChoice> chosen;
    if (agent_id) {
      GONGDAN_ASSIGN(auto agent, store::find_user(c, *agent_id));
      if (!agent || !agent->active || !is_agent_role(agent->role))
        return fail(ErrorCode::kInvalidArgument, "no such agent", "agent_id");
      after.assignee_id = *agent_id;
    } else {
      GONGDAN_ASSIGN(auto choice, choose(c, *department_id, now));
      after.department_id = *department_id;
      after.assignee_id = choice.agent ? std::optional(choice.agent->agent_id) : std::nullopt;
      chosen = choice.agent;
    }
    TicketWrite w{c, *catalog, side.who, now, "chat", db_, hooks_};
    GONGDAN_ASSIGN(auto saved, w.save(*before, after));
    if (chosen) GONGDAN_TRY(record_assignment(c, saved.id, now, *chosen, false));
    GONGDAN_TRY(w.publish(events_, "ticket.updated", saved));
    // The agent it left has room for the next one waiting in their department.
    if (before->department_id) GONGDAN_TRY(drain(c, *before->department_id));
    GONGDAN_ASSIGN(auto latest, store::find_ticket(c, saved.id));
    GONGDAN_ASSIGN(v, view_of(c, side.session, latest ? *latest : saved, -1));
    return {};
  }));
  return v;
}

}  // namespace gongdan::services
