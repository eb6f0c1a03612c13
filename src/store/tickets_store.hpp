// Persistence of tickets, their tags, followers, links, numbers and view counters. Every
// function runs inside a read or write callback and takes its Connection.
#pragma once

#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "domain/ticket.hpp"
#include "domain/ticket_access.hpp"
#include "domain/ticket_filter.hpp"
#include "domain/ticket_list.hpp"
#include "store/database.hpp"
#include "store/users_store.hpp"

namespace gongdan::store {

Result<std::int64_t> next_ticket_number(Connection& c);
// A ticket with its requester and assignee, read in one statement (a ticket page needs all three).
struct TicketWithPeople {
  Ticket ticket;
  std::optional<User> requester;
  std::optional<User> assignee;
};
Result<std::optional<TicketWithPeople>> find_ticket_with_people(Connection& c, std::int64_t number);
// Inserts `t` and sets its id; a ticket without a number (0) gets the next one.
Result<void> insert_ticket(Connection& c, Ticket& t);
// Writes every column of `t` if the stored version is `expected_version`; false when stale.
Result<bool> update_ticket(Connection& c, const Ticket& t, std::int64_t expected_version);
Result<std::optional<Ticket>> find_ticket_by_number(Connection& c, std::int64_t number);
// The detected language, written on its own: no other write changes it, so a command that
// saves a copy of the ticket read before the detection cannot undo it.
Result<void> set_ticket_language(Connection& c, std::int64_t ticket_id, std::string_view language);
Result<std::optional<Ticket>> find_ticket(Connection& c, std::int64_t id);
// The tickets of `ids` that exist, by id.
Result<std::unordered_map<std::int64_t, Ticket>> find_tickets(Connection& c,
                                                              const std::vector<std::int64_t>& ids);
Result<void> replace_tags(Connection& c, std::int64_t ticket_id,
                          const std::vector<std::string>& old_tags,
                          const std::vector<std::string>& new_tags);

struct TicketListQuery {
  TicketFilter filter;
  std::optional<Viewer> viewer;  // restricts to what the viewer may see
  TicketSort sort = TicketSort::kUpdatedDesc;
  std::optional<TicketCursor> after;
  int limit = 50;
};

Result<std::vector<Ticket>> list_tickets(Connection& c, const TicketListQuery& q);

// A counter is the sum of its shards' rows (migration 11, Connection::count_shard).
Result<void> adjust_counts(Connection& c, const std::map<std::string, std::int64_t>& deltas);
Result<std::map<std::string, std::int64_t>> read_counts(Connection& c,
                                                        const std::vector<std::string>& keys);
// Forgets a counter (every shard), e.g. a deleted view's.
Result<void> drop_count(Connection& c, std::string_view key);
// Counts on request (for what no counter covers); with a viewer, only what they may see.
Result<std::int64_t> count_matching(Connection& c, const TicketFilter& filter,
                                    const std::optional<Viewer>& viewer = std::nullopt);

Result<std::vector<std::int64_t>> list_followers(Connection& c, std::int64_t ticket_id);
Result<void> add_follower(Connection& c, std::int64_t ticket_id, std::int64_t user_id);
// True when the user followed the ticket (and no longer does).
Result<bool> remove_follower(Connection& c, std::int64_t ticket_id, std::int64_t user_id);
Result<bool> is_follower(Connection& c, std::int64_t ticket_id, std::int64_t user_id);

Result<std::vector<TicketLink>> list_links(Connection& c, std::int64_t ticket_id);
Result<void> put_link(Connection& c, std::int64_t ticket_id, std::int64_t other_id,
                      std::string_view kind);
Result<bool> delete_link(Connection& c, std::int64_t ticket_id, std::int64_t other_id);

Result<std::optional<std::int64_t>> find_idempotent_ticket(Connection& c, std::int64_t user_id,
                                                           std::string_view key);
Result<void> remember_idempotent_ticket(Connection& c, std::int64_t user_id, std::string_view key,
                                        std::int64_t ticket_id, Millis now);

}  // namespace gongdan::store
