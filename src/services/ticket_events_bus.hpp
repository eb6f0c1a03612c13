// Live ticket events, published after the change that caused them has committed. The WebSocket
// hub subscribes; a later PostgreSQL driver relays them across nodes. Subscribers are called on
// the publishing thread and must return quickly.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/ticket.hpp"

namespace gongdan::services {

struct TicketChange {
  std::string type;  // ticket.created, ticket.updated, message.created
  Ticket ticket;     // the ticket after the change
  std::optional<Message> message;
  std::optional<std::int64_t> actor_id;
  std::vector<std::int64_t> followers;
};

class TicketEventBus {
 public:
  using Subscriber = std::function<void(const TicketChange&)>;
  void subscribe(Subscriber subscriber) {
    std::lock_guard lock(mutex_);
    subscribers_.push_back(std::move(subscriber));
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
};

}  // namespace gongdan::services
