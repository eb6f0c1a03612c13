#include "channels/import/api_ticket.hpp"

#include "channels/import/import_text.hpp"
#include "channels/import/json_records.hpp"
#include "util/text.hpp"

namespace gongdan::import {

Result<ImportTicket> api_ticket(const boost::json::object& o) {
  ImportTicket t;
  t.ref = text_of(o, "id");
  if (t.ref.empty() || t.ref.size() > kMaxRefLength)
    return fail(ErrorCode::kInvalidArgument, "no id");
  t.subject = text::trim(text_of(o, "subject"));
  t.requester_ref = text_of(o, "requester_id");
  if (t.requester_ref.empty()) return fail(ErrorCode::kInvalidArgument, "no requester_id");
  t.tags = texts_of(o, "tags");
  bool bad = false;
  auto created = time_of(o, "created_at", bad);
  auto updated = time_of(o, "updated_at", bad);
  if (bad || !created) return fail(ErrorCode::kInvalidArgument, "created_at is not a time");
  t.created_at = *created;
  t.updated_at = updated.value_or(*created);
  return t;
}

}  // namespace gongdan::import
