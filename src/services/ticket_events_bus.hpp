// Live ticket events, published after the change that caused them has committed. The WebSocket
// hub subscribes; on PostgreSQL they reach the other nodes too (cluster_events.hpp). Subscribers
// are called on the publishing thread and must return quickly.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/ticket.hpp"
#include "util/crypto.hpp"

namespace gongdan::services {

// An in-app notification (a trigger's notify action), pushed live to its one agent.
struct LiveNotification {
  std::int64_t id = 0;
  std::int64_t user_id = 0;  // the only one who may receive it
  std::optional<std::int64_t> ticket_number;
  std::string kind;
  std::string title;
  std::string body;
  std::int64_t created_at = 0;
};

struct TicketChange {
  std::string type;  // ticket.created, ticket.updated, message.created, notification.created
  Ticket ticket;     // the ticket after the change
  std::optional<Message> message;
  std::optional<std::int64_t> actor_id;
  std::vector<std::int64_t> followers;
  std::optional<LiveNotification> notification;  // notification.created: for its user only
  // ticket.created: triage's predictions were applied in this write (TicketsService::create), so
  // the hooks need not queue its job.
  bool triaged = false;
};

class TicketEventBus {
 public:
  using Subscriber = std::function<void(const TicketChange&)>;
  // Names this process among the nodes sharing a database, so a node can skip its own events
  // when they come back from the others (see cluster_events.hpp).
  const std::string& node_id() const { return node_id_; }
  void subscribe(Subscriber subscriber) {
    std::lock_guard lock(mutex_);
    subscribers_.push_back(std::move(subscriber));
  }
  // Whether anyone here listens now (an open live connection). Changes from other nodes are
  // loaded from the database only then: with no one to tell, the reads would be wasted.
  void set_wanted(std::function<bool()> wanted) {
    std::lock_guard lock(mutex_);
    wanted_ = std::move(wanted);
  }
  bool wanted() const {
    std::function<bool()> wanted;
    {
      std::lock_guard lock(mutex_);
      wanted = wanted_;
    }
    return !wanted || wanted();
  }
  void publish(const TicketChange& change) const {
    std::vector<Subscriber> copy;
    {
      std::lock_guard lock(mutex_);
      copy = subscribers_;
    }
    for (const auto& s : copy) s(change);
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Subscriber> subscribers_;
  std::function<bool()> wanted_;
  std::string node_id_ = crypto::random_token(12);
};

}  // namespace gongdan::services
