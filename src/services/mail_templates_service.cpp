#include "services/mail_templates_service.hpp"

#include <fmt/format.h>

#include "domain/template.hpp"
#include "services/audit.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

Failure template_error(std::string message, std::string field) {
  return fail(ErrorCode::kInvalidArgument, std::move(message), std::move(field));
}

// "en", "zh", "zh-CN", "pt-BR": a primary tag of 2-3 letters and an optional region or script.
bool looks_like_language(std::string_view l) {
  const auto dash = l.find('-');
  const auto primary = l.substr(0, dash);
  if (primary.size() < 2 || primary.size() > 3) return false;
  for (char ch : primary)
    if (ch < 'a' || ch > 'z') return false;
  if (dash == std::string_view::npos) return true;
  const auto rest = l.substr(dash + 1);
  if (rest.size() < 2 || rest.size() > 8) return false;
  for (char ch : rest)
    if (!std::isalnum(static_cast<unsigned char>(ch))) return false;
  return true;
}

Result<std::string> read_variant_text(const boost::json::object& o, std::string_view key,
                                      const std::string& path, std::size_t max) {
  const auto* v = o.if_contains(key);
  if (!v) return template_error("is required", fmt::format("{}.{}", path, key));
  if (!v->is_string() || v->as_string().empty() || v->as_string().size() > max ||
      !text::is_valid_utf8(v->as_string()))
    return template_error(fmt::format("must be 1 to {} bytes of text", max),
                          fmt::format("{}.{}", path, key));
  std::string s(v->as_string());
  auto issues = validate_template(s);
  if (!issues.empty())
    return template_error(issues.front().message, fmt::format("{}.{}", path, key));
  return s;
}

}  // namespace

Result<void> MailTemplatesService::validate(store::MailTemplateRow& row,
                                            const MailTemplateInput& in, bool creating) {
  if (in.name) {
    row.name = text::strip_controls(text::trim(*in.name));
    if (row.name.empty() || row.name.size() > 200 || !text::is_valid_utf8(row.name))
      return template_error("must be 1 to 200 bytes of text", "name");
  } else if (creating) {
    return template_error("is required", "name");
  }
  if (!in.variants) {
    if (creating) return template_error("is required", "variants");
    return {};
  }
  const auto* list = in.variants->if_array();
  if (!list || list->empty() || list->size() > 50)
    return template_error(
        "a list of 1 to 50 {\"language\": \"en\", \"subject\": ..., \"body\": ...}", "variants");
  boost::json::array out;
  std::vector<std::string> seen;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = fmt::format("variants[{}]", i);
    const auto* o = (*list)[i].if_object();
    if (!o) return template_error("expected an object", path);
    for (const auto& kv : *o)
      if (kv.key() != "language" && kv.key() != "subject" && kv.key() != "body")
        return template_error(fmt::format("unknown key \"{}\" (allowed: \"language\", "
                                          "\"subject\", \"body\")",
                                          std::string_view(kv.key())),
                              fmt::format("{}.{}", path, std::string_view(kv.key())));
    const auto* lang = o->if_contains("language");
    if (!lang || !lang->is_string() || !looks_like_language(lang->as_string()))
      return template_error("a language tag such as \"en\" or \"zh-CN\"", path + ".language");
    const std::string language(lang->as_string());
    if (std::ranges::find(seen, language) != seen.end())
      return template_error("this language has a variant already", path + ".language");
    seen.push_back(language);
    GONGDAN_ASSIGN(auto subject, read_variant_text(*o, "subject", path, 300));
    if (subject.find_first_of("\r\n") != std::string::npos)
      return template_error("a subject is one line", path + ".subject");
    GONGDAN_ASSIGN(auto body, read_variant_text(*o, "body", path, 64 * 1024));
    out.push_back(
        boost::json::object{{"language", language}, {"subject", subject}, {"body", body}});
  }
  row.variants = boost::json::serialize(out);
  return {};
}

Result<std::vector<store::MailTemplateRow>> MailTemplatesService::list(const Principal& who) {
  GONGDAN_TRY(require_admin(who, "manage mail templates"));
  GONGDAN_ASSIGN(auto out, store::read_value(db_, [&](store::Connection& c) {
                   return store::list_mail_templates(c);
                 }));
  return out;
}

Result<store::MailTemplateRow> MailTemplatesService::get(const Principal& who, std::int64_t id) {
  GONGDAN_TRY(require_admin(who, "manage mail templates"));
  GONGDAN_ASSIGN(auto row, store::read_value(db_, [&](store::Connection& c) {
                   return store::find_mail_template(c, id);
                 }));
  if (!row) return fail(ErrorCode::kNotFound, "no such mail template");
  return *row;
}

Result<store::MailTemplateRow> MailTemplatesService::create(const Principal& who,
                                                            const MailTemplateInput& in) {
  GONGDAN_TRY(require_admin(who, "manage mail templates"));
  store::MailTemplateRow row;
  GONGDAN_TRY(validate(row, in, true));
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    row.created_at = row.updated_at = clock_.now_ms();
    GONGDAN_ASSIGN(row.id, store::insert_mail_template(c, row));
    return record_audit(c, row.created_at, actor_id(who), "mail_template.create",
                        "mail_template:" + std::to_string(row.id), who.ip);
  }));
  return row;
}

Result<store::MailTemplateRow> MailTemplatesService::update(const Principal& who, std::int64_t id,
                                                            const MailTemplateInput& in) {
  GONGDAN_ASSIGN(auto row, get(who, id));
  GONGDAN_TRY(validate(row, in, false));
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    row.updated_at = clock_.now_ms();
    GONGDAN_ASSIGN(bool saved, store::update_mail_template(c, row));
    if (!saved) return fail(ErrorCode::kNotFound, "no such mail template");
    return record_audit(c, row.updated_at, actor_id(who), "mail_template.update",
                        "mail_template:" + std::to_string(id), who.ip);
  }));
  return row;
}

Result<void> MailTemplatesService::remove(const Principal& who, std::int64_t id) {
  GONGDAN_TRY(require_admin(who, "manage mail templates"));
  return db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(bool removed, store::delete_mail_template(c, id));
    if (!removed) return fail(ErrorCode::kNotFound, "no such mail template");
    return record_audit(c, clock_.now_ms(), actor_id(who), "mail_template.delete",
                        "mail_template:" + std::to_string(id), who.ip);
  });
}

Result<std::vector<store::NotificationRow>> MailTemplatesService::notifications(
    const Principal& who, bool unread_only, std::int64_t before_id, int limit) {
  if (!who.is_agent() || !who.user.id)
    return fail(ErrorCode::kPermissionDenied, "notifications are for agents");
  GONGDAN_ASSIGN(auto out, store::read_value(db_, [&](store::Connection& c) {
                   return store::list_notifications(c, who.user.id, unread_only, before_id, limit);
                 }));
  return out;
}

Result<std::int64_t> MailTemplatesService::unread(const Principal& who) {
  if (!who.is_agent() || !who.user.id)
    return fail(ErrorCode::kPermissionDenied, "notifications are for agents");
  GONGDAN_ASSIGN(auto n, store::read_value(db_, [&](store::Connection& c) {
                   return store::count_unread_notifications(c, who.user.id);
                 }));
  return n;
}

Result<std::int64_t> MailTemplatesService::mark_read(const Principal& who,
                                                     const std::vector<std::int64_t>& ids) {
  if (!who.is_agent() || !who.user.id)
    return fail(ErrorCode::kPermissionDenied, "notifications are for agents");
  std::int64_t n = 0;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(n, store::mark_notifications_read(c, who.user.id, ids, clock_.now_ms()));
    return {};
  }));
  return n;
}

}  // namespace gongdan::services
