// Persistence of messages and ticket history events. Every function runs inside a read or write
// callback and takes its Connection.
#pragma once

#include <span>
#include <string_view>

#include <optional>
#include <vector>

#include "domain/ticket.hpp"
#include "store/database.hpp"

namespace gongdan::store {

Result<std::int64_t> insert_message(Connection& c, const Message& m);
// Messages of a ticket in id order after `after_id`, at most `limit`.
Result<std::vector<Message>> list_messages(Connection& c, std::int64_t ticket_id,
                                           bool include_internal, std::int64_t after_id, int limit);
Result<std::optional<Message>> find_message(Connection& c, std::int64_t id);
// The newest public message of a ticket written by an agent (any role but customer): on a
// solved ticket, the reply that solved it.
Result<std::optional<Message>> last_agent_reply(Connection& c, std::int64_t ticket_id);
Result<void> move_messages(Connection& c, std::int64_t from_ticket, std::int64_t to_ticket);
Result<void> move_message(Connection& c, std::int64_t message_id, std::int64_t to_ticket);

Result<void> insert_event(Connection& c, const TicketEvent& e);
// A ticket_events row whose columns come in this order: id, ticket_id, at, actor_id, via, field,
// old_value, new_value (for statements of their own over the table, such as a merge-aware one).
TicketEvent read_event(const Query& q);
// Without `include_internal`, internal-note events are left out (in SQL, so pages stay full).
// With `only_fields` not empty, only events of those fields.
Result<std::vector<TicketEvent>> list_events(Connection& c, std::int64_t ticket_id,
                                             std::int64_t after_id, int limit,
                                             bool include_internal = true,
                                             std::span<const std::string_view> only_fields = {});
Result<void> move_events(Connection& c, std::int64_t from_ticket, std::int64_t to_ticket);

}  // namespace gongdan::store
