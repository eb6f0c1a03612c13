// JSON shapes of tickets, messages and history events.
#pragma once

#include <map>

#include "api/answer_shape.hpp"
#include "api/json.hpp"
#include "api/schema.hpp"
#include "domain/attachment.hpp"
#include "domain/ticket.hpp"
#include "domain/user.hpp"
#include "services/directory.hpp"

namespace gongdan::api {

using People = std::map<std::int64_t, User>;

std::string ticket_etag(const Ticket& t);
// `now` (the server's clock) gives the SLA's seconds left.
json::object ticket_json(const Ticket& t, const services::Catalog& catalog, const People& people,
                         Millis now);
// The ticket's SLA: policy, paused, due times and the seconds left until each at `now`.
json::object sla_json(const Ticket& t, Millis now);
json::object message_json(const Message& m, std::int64_t ticket_number, const People& people);
json::object event_json(const TicketEvent& e, const People& people);
// {"id", "name", "email", "role"}; without "email" when the person's address is hidden.
json::value person_json(const std::optional<std::int64_t>& id, const People& people);
// An attachment with its download URL (schema Attachment).
extern const AnswerShape<Attachment> kAttachmentShape;

// The customer's view: what a customer may read about others is their name and role, never an
// address (their own excepted), and a ticket's tags (agents' triage labels) are left out.
People seen_by(const services::Principal& who, People people);
json::object ticket_json_for(const services::Principal& who, const Ticket& t,
                             const services::Catalog& catalog, const People& people, Millis now);

// Parses "2026-01-31" or "2026-01-31T08:00:00Z" (UTC) into milliseconds.
Result<Millis> parse_iso_time(std::string_view text, std::string_view field);
// Ticket, Person, TicketSla, Message, Attachment, TicketEvent: the answers above.
class Router;
void define_ticket_schemas(Router& router);
// The changes PATCH /tickets/{number} and bulk take.
schema::Schema ticket_changes_schema();

std::string encode_ticket_cursor(std::int64_t key, std::int64_t id);
Result<std::pair<std::int64_t, std::int64_t>> decode_ticket_cursor(std::string_view cursor);

}  // namespace gongdan::api
