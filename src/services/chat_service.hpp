// Live chat (issue 20). A visitor opens a session through a department's widget with a pre-chat
// form (name, email, question); the session is a ticket of channel "chat" whose messages are the
// transcript. In one write the service finds or makes the contact, opens the ticket and gives it
// to an agent of the department chosen by the department's strategy (least loaded when it has
// none) among the online agents below the widget's chats-per-agent capacity; with none below it
// the chat waits in the department's queue, taken oldest first when a chat ends, is transferred
// away or an agent accepts the next one. With no agent online at all the question becomes an
// ordinary ticket (state offline): the agents' reply goes out by mail, as for any ticket.
//
// Visitors are not signed in: the session's token (its id and an HMAC of its nonce under the
// server's key) proves each call, and they act as the session's contact on its one ticket only.
// Live chat replies (channel "chat") are not mailed; the visitor sees them live. Starts are
// limited per address, messages per session and per address.
//
// Threads: every method may be called from any thread; state is the database's, and the
// throttles' (in memory, per node).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/chat.hpp"
#include "domain/resource.hpp"
#include "services/attachments_service.hpp"
#include "services/directory.hpp"
#include "services/resource_service.hpp"
#include "services/secret_box.hpp"
#include "services/self_service.hpp"
#include "services/store_fwd.hpp"
#include "services/ticket_events_bus.hpp"
#include "services/ticket_hooks.hpp"
#include "services/tickets_service.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

const Resource<ChatWidget>& chat_widget_resource();

// What the widget shows before the form: its look and whether anyone is there.
struct WidgetInfo {
  ChatWidget widget;
  std::string department_name;
  bool online = false;  // an agent of the department is online
};

struct ChatStart {
  std::int64_t widget_id = 0;
  std::string name;
  std::string email;
  std::string question;
  std::string locale = "en";
  std::string ip;
};

// One side's hold on a session: the visitor (proved by the token) or an agent who may see it.
struct ChatSide {
  Principal who;
  bool visitor = false;
  ChatSession session;
  Ticket ticket;
};

// A session as either side sees it. Messages: public only, after the asked id.
struct ChatView {
  ChatSession session;
  Ticket ticket;
  User visitor;
  std::optional<User> agent;
  std::int64_t queue_position = 0;  // 1 = next; 0 when not waiting
  std::vector<Message> messages;
  std::map<std::int64_t, std::vector<Attachment>> attachments;  // by message id
  std::map<std::int64_t, std::string> authors;                  // names by user id
  std::string token;                                            // start() only
};

class ChatService {
 public:
  ChatService(store::Database& db, const Clock& clock, Directory& directory, TicketEventBus& events,
              const SecretBox& secrets, TicketsService& tickets, AttachmentsService& attachments,
              std::string public_url);

  void add_to(Resources& resources);
  void set_ticket_hooks(const std::vector<TicketHook*>* hooks) { hooks_ = hooks; }

  // Public.
  Result<WidgetInfo> widget(std::int64_t id);
  Result<ChatView> start(ChatStart start);
  // 401 for a token that is not this session's.
  Result<ChatSide> as_visitor(std::int64_t session_id, std::string_view token);
  // An agent who may see the session's ticket; 404 otherwise.
  Result<ChatSide> as_agent(const Principal& who, std::int64_t session_id);

  // Either side.
  Result<ChatView> view(const ChatSide& side, std::int64_t after_id);
  Result<Message> send(const ChatSide& side, std::string body,
                       std::vector<std::int64_t> attachment_ids);
  Result<void> read(const ChatSide& side, std::int64_t message_id);
  Result<void> typing(const ChatSide& side);
  Result<ChatView> end(const ChatSide& side);

  // The visitor's files, through the attachments' path; downloads of this chat's files only.
  Result<Attachment> upload(const ChatSide& side, std::string_view filename,
                            std::string_view claimed_type, std::string_view bytes);
  Result<Download> download(const ChatSide& side, std::int64_t attachment_id);

  // Agents: their live chats and the queues they may see; the next waiting chat; transfer to
  // an agent (kept whatever their load) or to a department (chosen there, or queued).
  Result<std::vector<ChatView>> list(const Principal& who);
  Result<std::optional<ChatView>> accept(const Principal& who);
  Result<ChatView> transfer(const ChatSide& side, std::optional<std::int64_t> agent_id,
                            std::optional<std::int64_t> department_id);

  // The token a visitor holds for `session` (tests and the start answer).
  std::string token_of(const ChatSession& session) const;

 private:
  Result<ChatView> view_of(store::Connection& c, const ChatSession& s, const Ticket& t,
                           std::int64_t after_id);
  // Gives the oldest queued chats of `department_id` to agents with room, inside a write.
  Result<void> drain(store::Connection& c, std::int64_t department_id);
  Result<void> publish(const Ticket& ticket, std::string_view type,
                       std::optional<std::int64_t> actor);

  store::Database& db_;
  const Clock& clock_;
  Directory& directory_;
  TicketEventBus& events_;
  const SecretBox& secrets_;
  TicketsService& tickets_;
  AttachmentsService& attachments_;
  std::string public_url_;
  const std::vector<TicketHook*>* hooks_ = nullptr;
  AddressThrottle starts_;
  AddressThrottle messages_by_session_;
  AddressThrottle messages_by_address_;
  AddressThrottle typing_;
};

}  // namespace gongdan::services
