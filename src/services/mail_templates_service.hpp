// Mail templates (admins) for the send_mail action of triggers and automations: a name and one
// variant per language, each a subject and a plain-text body with placeholders
// ({{ticket.number}}, {{requester.name}}, …; domain/template.hpp), checked when saved.
// Agents' in-app notifications (the notify action) are read and marked read here too.
#pragma once

#include <boost/json.hpp>

#include "services/principal.hpp"
#include "store/automation_store.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

struct MailTemplateInput {
  std::optional<std::string> name;
  std::optional<boost::json::value> variants;
};

class MailTemplatesService {
 public:
  MailTemplatesService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<std::vector<store::MailTemplateRow>> list(const Principal& who);
  Result<store::MailTemplateRow> get(const Principal& who, std::int64_t id);
  Result<store::MailTemplateRow> create(const Principal& who, const MailTemplateInput& in);
  Result<store::MailTemplateRow> update(const Principal& who, std::int64_t id,
                                        const MailTemplateInput& in);
  Result<void> remove(const Principal& who, std::int64_t id);

  // The caller's notifications, newest first, and how many are unread.
  Result<std::vector<store::NotificationRow>> notifications(const Principal& who, bool unread_only,
                                                            std::int64_t before_id, int limit);
  Result<std::int64_t> unread(const Principal& who);
  // Marks the caller's notifications read (all when `ids` is empty); returns how many.
  Result<std::int64_t> mark_read(const Principal& who, const std::vector<std::int64_t>& ids);

 private:
  Result<void> validate(store::MailTemplateRow& row, const MailTemplateInput& in, bool creating);
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace gongdan::services
