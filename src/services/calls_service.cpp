#include "services/calls_service.hpp"

#include "store/database.hpp"
#include "store/inbound_store.hpp"
#include "store/messages_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

Result<void> check_call(CallLog& call) {
  if (!is_call_direction(call.direction))
    return fail(ErrorCode::kInvalidArgument, "use inbound or outbound", "direction");
  call.number = text::trim(call.number);
  if (!is_phone_number(call.number))
    return fail(ErrorCode::kInvalidArgument, "digits, + - ( ) and spaces", "number");
  if (call.duration_seconds < 0 || call.duration_seconds > 7 * 86400)
    return fail(ErrorCode::kInvalidArgument, "must be 0 to 604800", "duration_seconds");
  if (!is_call_outcome(call.outcome))
    return fail(ErrorCode::kInvalidArgument, "use answered, missed, voicemail, busy or failed",
                "outcome");
  call.notes = text::strip_controls(call.notes, true);
  if (call.notes.size() > kMaxCallNotesLength || !text::is_valid_utf8(call.notes))
    return fail(ErrorCode::kInvalidArgument, "at most 16 KiB of text", "notes");
  return {};
}

}  // namespace

Result<CallLog> CallsService::log(const Principal& who, std::int64_t number, CallLog call) {
  if (!who.is_agent()) return fail(ErrorCode::kNotFound, "no such ticket");
  GONGDAN_TRY(check_call(call));
  GONGDAN_ASSIGN(auto ticket, tickets_.get(who, number));
  const Millis now = clock_.now_ms();
  call.ticket_id = ticket.id;
  call.author_id = who.user.id;
  call.recording_url.clear();  // only the PBX knows where its recordings are
  call.created_at = now;
  if (call.started_at == 0) call.started_at = now;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(call.id, store::insert_call_log(c, call));
    TicketEvent e;
    e.ticket_id = ticket.id;
    e.at = now;
    e.actor_id = who.user.id;
    e.via = "phone";
    e.field = "call";
    e.new_value = call.direction + " " + call.number + " " + call.outcome;
    return store::insert_event(c, e);
  }));
  return call;
}

Result<std::vector<CallLog>> CallsService::of_ticket(const Principal& who, std::int64_t number) {
  if (!who.is_agent()) return fail(ErrorCode::kNotFound, "no such ticket");
  GONGDAN_ASSIGN(auto ticket, tickets_.get(who, number));
  return store::read_value(
      db_, [&](store::Connection& c) { return store::call_logs_of_ticket(c, ticket.id); });
}

}  // namespace gongdan::services
