// Persistence of messages, ticket history events and the full-text index rows that go with
// them. Every function runs inside a read or write callback and takes its Connection.
#pragma once

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
Result<void> move_messages(Connection& c, std::int64_t from_ticket, std::int64_t to_ticket);
Result<void> move_message(Connection& c, std::int64_t message_id, std::int64_t to_ticket);

Result<void> insert_event(Connection& c, const TicketEvent& e);
Result<std::vector<TicketEvent>> list_events(Connection& c, std::int64_t ticket_id,
                                             std::int64_t after_id, int limit);
Result<void> move_events(Connection& c, std::int64_t from_ticket, std::int64_t to_ticket);

// The index holds text already prepared by search::index_text.
Result<void> index_ticket_text(Connection& c, std::int64_t ticket_id, std::string_view subject,
                               std::string_view tags);
// Contentless FTS5 rows are removed by repeating the values they were indexed with.
Result<void> unindex_ticket_text(Connection& c, std::int64_t ticket_id, std::string_view subject,
                                 std::string_view tags);
Result<void> index_message_text(Connection& c, std::int64_t message_id, std::string_view body);

}  // namespace gongdan::store
