#include "services/mail_intake_service.hpp"

#include <boost/json.hpp>

#include "services/audit.hpp"
#include "store/mail_settings_store.hpp"
#include "store/mail_store.hpp"
#include "store/messages_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {

Result<std::int64_t> MailIntakeService::quarantine(std::string_view raw,
                                                   std::optional<std::int64_t> department_id,
                                                   std::string_view reason) {
  GONGDAN_ASSIGN(auto blob, files_.put(raw));
  QuarantineEntry row;
  row.raw_sha256 = blob.sha256;
  row.raw_size = static_cast<std::int64_t>(blob.size);
  row.department_id = department_id;
  row.reason = text::cut_utf8(text::strip_controls(reason), 2000);
  row.status = "held";
  row.attempts = 1;
  row.created_at = row.updated_at = clock_.now_ms();
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(row.id, store::insert_quarantine(c, row));
    return {};
  }));
  return row.id;
}

Result<std::vector<QuarantineEntry>> MailIntakeService::list_quarantine(
    const Principal& who, std::optional<std::string> status, std::int64_t before_id, int limit) {
  GONGDAN_TRY(require(who, Permission::kManageSettings, "see quarantined mail"));
  GONGDAN_ASSIGN(auto out, store::read_value(db_, [&](store::Connection& c) {
                   return store::list_quarantine(c, status, before_id, limit);
                 }));
  return out;
}

Result<QuarantinedMail> MailIntakeService::quarantined(const Principal& who, std::int64_t id,
                                                       bool with_raw) {
  GONGDAN_TRY(require(who, Permission::kManageSettings, "see quarantined mail"));
  GONGDAN_ASSIGN(auto row, store::read_value(db_, [&](store::Connection& c) {
                   return store::find_quarantine(c, id);
                 }));
  if (!row) return fail(ErrorCode::kNotFound, "no such quarantined message");
  QuarantinedMail out{std::move(*row), {}};
  if (with_raw) {
    GONGDAN_ASSIGN(out.raw, files_.read(out.row.raw_sha256));
  }
  return out;
}

Result<void> MailIntakeService::delete_quarantined(const Principal& who, std::int64_t id) {
  GONGDAN_TRY(require(who, Permission::kManageSettings, "delete quarantined mail"));
  return db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto found, store::find_quarantine(c, id));
    if (!found) return fail(ErrorCode::kNotFound, "no such quarantined message");
    const Millis now = clock_.now_ms();
    GONGDAN_TRY(store::delete_quarantine(c, id, now));
    boost::json::object detail{{"reason", found->reason},
                               {"status", found->status},
                               {"size", found->raw_size},
                               {"sha256", found->raw_sha256}};
    return record_audit(c, now, actor_id(who), "mail.quarantine.delete",
                        "quarantine:" + std::to_string(id), who.ip, boost::json::serialize(detail));
  });
}

Result<QuarantineEntry> MailIntakeService::record_retry(std::int64_t id,
                                                        std::optional<std::int64_t> ticket_number,
                                                        std::string_view reason) {
  QuarantineEntry row;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto found, store::find_quarantine(c, id));
    if (!found) return fail(ErrorCode::kNotFound, "no such quarantined message");
    row = *found;
    row.attempts += 1;
    row.updated_at = clock_.now_ms();
    if (ticket_number) {
      row.status = "released";
      row.ticket_number = ticket_number;
    } else {
      row.reason = text::cut_utf8(text::strip_controls(reason), 2000);
    }
    return store::update_quarantine(c, row);
  }));
  return row;
}

Result<std::map<std::int64_t, std::string>> MailIntakeService::mail_flags(
    const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return std::map<std::int64_t, std::string>{};
  return store::read_value(
      db_, [&](store::Connection& c) { return store::mail_flags_of_messages(c, ids); });
}

Result<MailDetails> MailIntakeService::mail_of_message(std::int64_t ticket_message_id,
                                                       bool with_raw) {
  std::optional<MailRecord> record;
  bool internal = false;
  std::optional<std::int64_t> author;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(record, store::find_mail_of_ticket_message(c, ticket_message_id));
    GONGDAN_ASSIGN(auto message, store::find_message(c, ticket_message_id));
    internal = message && message->internal;
    if (message) author = message->author_id;
    return {};
  }));
  if (!record) return fail(ErrorCode::kNotFound, "this message did not come by mail");
  MailDetails out{std::move(*record), {}, internal, author};
  if (with_raw && !out.record.raw_sha256.empty()) {
    GONGDAN_ASSIGN(out.raw, files_.read(out.record.raw_sha256));
  }
  return out;
}

}  // namespace gongdan::services
