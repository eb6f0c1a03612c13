#include "http/stream_hub.hpp"

#include <boost/json.hpp>

#include "api/json.hpp"

namespace gongdan::http {
namespace {

namespace json = boost::json;

json::object ticket_summary(const Ticket& t) {
  return json::object{
      {"number", t.number},
      {"subject", t.subject},
      {"channel", t.channel},
      {"status_category", category_name(t.category)},
      {"priority", priority_name(t.priority)},
      {"department", t.department_id ? json::value(*t.department_id) : json::value(nullptr)},
      {"assignee", t.assignee_id ? json::value(*t.assignee_id) : json::value(nullptr)},
      {"version", t.version}};
}

bool may_see(const StreamMember& member, const services::TicketChange& change) {
  if (member.only_ticket && *member.only_ticket != change.ticket.number) return false;
  const Viewer& viewer = member.viewer;
  const bool follows = std::find(change.followers.begin(), change.followers.end(),
                                 viewer.user_id) != change.followers.end();
  if (!can_see_ticket(viewer, change.ticket, follows)) return false;
  if (change.message && change.message->internal && !can_see_internal_notes(viewer)) return false;
  return true;
}

}  // namespace

StreamHub::ClientId StreamHub::join(std::weak_ptr<StreamClient> client, StreamMember member) {
  std::lock_guard lock(mutex_);
  const auto id = next_id_++;
  clients_.emplace(id, Entry{std::move(client), std::move(member)});
  return id;
}

void StreamHub::leave(ClientId id) {
  std::lock_guard lock(mutex_);
  clients_.erase(id);
  drop_presence(id);
  std::erase_if(presence_, [](const auto& entry) { return entry.second.states.empty(); });
}

void StreamHub::drop_presence(ClientId id) {
  std::vector<std::int64_t> touched;
  for (auto& [number, p] : presence_)
    if (p.states.erase(id)) touched.push_back(number);
  for (auto number : touched) broadcast_presence(number);
}

void StreamHub::on_ticket_change(const services::TicketChange& change) {
  if (change.notification) return notify(*change.notification);
  json::object event{{"type", change.type}, {"ticket", ticket_summary(change.ticket)}};
  if (change.actor_id) event["actor"] = *change.actor_id;
  if (change.message)
    event["message"] =
        json::object{{"id", change.message->id},
                     {"internal", change.message->internal},
                     {"author", change.message->author_id ? json::value(*change.message->author_id)
                                                          : json::value(nullptr)}};
  auto text = std::make_shared<const std::string>(json::serialize(event));
  std::vector<std::shared_ptr<StreamClient>> targets;
  {
    std::lock_guard lock(mutex_);
    if (auto it = presence_.find(change.ticket.number); it != presence_.end())
      it->second.ticket = change.ticket;
    for (const auto& [id, entry] : clients_) {
      if (!may_see(entry.member, change)) continue;
      if (auto client = entry.client.lock()) targets.push_back(std::move(client));
    }
  }
  for (auto& client : targets) client->send(text);
}

void StreamHub::notify(const services::LiveNotification& n) {
  const auto& number = n.ticket_number;
  auto text = std::make_shared<const std::string>(json::serialize(json::object{
      {"type", "notification.created"},
      {"notification",
       json::object{{"id", n.id},
                    {"kind", n.kind},
                    {"title", n.title},
                    {"body", n.body},
                    {"ticket_number", number ? json::value(*number) : json::value(nullptr)},
                    {"read", false},
                    {"created_at", api::iso_time(n.created_at)}}}}));
  std::vector<std::shared_ptr<StreamClient>> targets;
  {
    std::lock_guard lock(mutex_);
    // Its agent's connections only (an agent may have several tabs open), nobody else's.
    for (const auto& [id, entry] : clients_) {
      if (entry.member.user_id != n.user_id || !entry.member.viewer.is_agent()) continue;
      if (auto client = entry.client.lock()) targets.push_back(std::move(client));
    }
  }
  for (auto& client : targets) client->send(text);
}

void StreamHub::set_presence(ClientId id, const Ticket& ticket, std::string_view state) {
  std::lock_guard lock(mutex_);
  if (!clients_.contains(id)) return;
  auto& p = presence_[ticket.number];
  p.ticket = ticket;
  if (state == "left")
    p.states.erase(id);
  else
    p.states[id] = std::string(state);
  broadcast_presence(ticket.number);
  if (p.states.empty()) presence_.erase(ticket.number);
}

void StreamHub::broadcast_presence(std::int64_t number) {
  auto it = presence_.find(number);
  if (it == presence_.end()) return;
  const auto& p = it->second;
  json::array people;
  for (const auto& [client_id, state] : p.states) {
    auto c = clients_.find(client_id);
    if (c == clients_.end()) continue;
    people.push_back(json::object{
        {"id", c->second.member.user_id}, {"name", c->second.member.name}, {"state", state}});
  }
  auto text = std::make_shared<const std::string>(json::serialize(
      json::object{{"type", "presence"}, {"ticket", number}, {"people", std::move(people)}}));
  for (const auto& [id, entry] : clients_) {
    // Presence is for agents: customers never learn who is looking at their ticket.
    if (!entry.member.viewer.is_agent() || !can_see_ticket(entry.member.viewer, p.ticket)) continue;
    if (auto client = entry.client.lock()) client->send(text);
  }
}

void StreamHub::close_all() {
  std::vector<std::shared_ptr<StreamClient>> all;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, entry] : clients_)
      if (auto client = entry.client.lock()) all.push_back(std::move(client));
    clients_.clear();
    presence_.clear();
  }
  for (auto& client : all) client->end();
}

void StreamHub::close_holding(const services::CredentialTarget& target) {
  std::vector<std::shared_ptr<StreamClient>> ending;
  {
    std::lock_guard lock(mutex_);
    for (auto it = clients_.begin(); it != clients_.end();) {
      services::Principal held;
      held.user.id = it->second.member.user_id;
      held.via = it->second.member.via;
      held.credential_id = it->second.member.credential_id;
      if (!target.matches(held)) {
        ++it;
        continue;
      }
      if (auto client = it->second.client.lock()) ending.push_back(std::move(client));
      const auto id = it->first;
      it = clients_.erase(it);
      drop_presence(id);
    }
    std::erase_if(presence_, [](const auto& entry) { return entry.second.states.empty(); });
  }
  for (auto& client : ending) client->end();
}

std::size_t StreamHub::size() const {
  std::lock_guard lock(mutex_);
  return clients_.size();
}

}  // namespace gongdan::http
