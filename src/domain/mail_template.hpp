// A mail template for the send_mail action of triggers and automations: a name and one variant
// per language, each a subject and a plain-text body with placeholders ({{ticket.number}},
// {{requester.name}} …; domain/template.hpp). Pure: no I/O.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan {

struct MailTemplate {
  std::int64_t id = 0;
  std::string name;
  // [{"language": "en", "subject": "...", "body": "..."}], one entry per language.
  boost::json::value variants = boost::json::array{};
  Millis created_at = 0;
  Millis updated_at = 0;
};

struct MailVariant {
  std::string subject;
  std::string body;
};

// Checks a template's variants (1 to 50, language tags unique, subject one line, placeholders
// valid) and returns them with only the known members. Errors name the part that is wrong
// ("variants[1].language").
Result<boost::json::array> read_mail_variants(const boost::json::value& variants);

// The variant in `language`, else in its primary language ("zh" for "zh-CN"), else the first.
std::optional<MailVariant> pick_variant(const MailTemplate& mail, std::string_view language);

}  // namespace gongdan
