// Live updates for signed-in agents and customers over /api/v1/stream. The hub receives ticket
// events after they commit, and sends each to the connections whose viewer may see the ticket
// (internal notes to agents only). It also keeps presence: who is viewing or replying to which
// ticket, so two agents do not answer the same customer at once.
//
// Thread-safety: all public methods may be called from any thread. Sending goes through each
// connection's own queue; the hub never blocks on a slow client (a full queue drops it).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "domain/ticket_access.hpp"
#include "services/credential_cache.hpp"
#include "services/ticket_events_bus.hpp"
#include "services/work_time_service.hpp"

namespace gongdan::http {

class StreamClient {
 public:
  virtual ~StreamClient() = default;
  // Queues a text frame; false when the client is gone or too far behind.
  virtual bool send(std::shared_ptr<const std::string> text) = 0;
  virtual void end() = 0;
};

struct StreamMember {
  std::int64_t user_id = 0;
  std::string name;
  Viewer viewer;
  // The credential the connection was opened with, so ending it ends this connection.
  services::CredentialKind via = services::CredentialKind::kSession;
  std::int64_t credential_id = 0;
  // A chat visitor's connection: that one ticket's events only, never its internal notes.
  std::optional<std::int64_t> only_ticket;
};

class StreamHub {
 public:
  using ClientId = std::uint64_t;

  ClientId join(std::weak_ptr<StreamClient> client, StreamMember member);
  void leave(ClientId id);
  // Publishes an event to every connection that may see the ticket; a notification goes to
  // its agent's connections only.
  void on_ticket_change(const services::TicketChange& change);
  // Records presence on a ticket the member may see (checked by the caller) and tells others.
  void set_presence(ClientId id, const Ticket& ticket, std::string_view state);
  std::size_t size() const;
  // Where the connections' handle-time heartbeats go (null: refused); set before serving.
  void set_work_time(services::WorkTimeService* work) { work_time_ = work; }
  services::WorkTimeService* work_time() const { return work_time_; }
  // Ends every connection (permissions changed somewhere): clients reconnect and so pick up
  // what they may see now, or are refused.
  void close_all();
  // Ends the connections opened with the session or token `target` names, or all of its
  // user's: that credential was ended or its account changed. Other people's stay open.
  void close_holding(const services::CredentialTarget& target);

 private:
  struct Entry {
    std::weak_ptr<StreamClient> client;
    StreamMember member;
  };
  struct Presence {
    Ticket ticket;
    std::map<ClientId, std::string> states;  // viewing or replying
  };
  void broadcast_presence(std::int64_t number);  // requires mutex_
  // Takes a client that left out of every ticket's presence and tells each ticket's viewers;
  // the tickets nobody views then stay in presence_ until the caller drops them. Requires mutex_.
  void drop_presence(ClientId id);
  void notify(const services::LiveNotification& n);

  mutable std::mutex mutex_;
  ClientId next_id_ = 1;
  std::map<ClientId, Entry> clients_;
  std::map<std::int64_t, Presence> presence_;  // by ticket number
  services::WorkTimeService* work_time_ = nullptr;
};

}  // namespace gongdan::http
