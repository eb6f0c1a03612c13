#include "services/mail_templates_service.hpp"
#include "services/kb_links.hpp"
#include "store/database.hpp"

namespace gongdan::services {

const Resource<MailTemplate>& mail_template_resource() {
  static const Resource<MailTemplate> r = declare<MailTemplate>(
      resource_info("mail-templates", "mail_template", {"Mail templates", "邮件模板"}, "automation")
          .table("mail_templates")
          .order_by("name, id")
          .read_by(Audience::kAdmins)
          .ops({.remove = true}),
      {field_of(&MailTemplate::id, id_field()), field_of(&MailTemplate::name, name_field()),
       field_of(&MailTemplate::variants,
                json_field("variants", {"Variants", "语言版本"},
                           {"One subject and body per language; placeholders such as "
                            "{{ticket.number}} and {{requester.name}}, and {{kb.article.12}}: a "
                            "help centre article's title and address in the ticket's language "
                            "(.url or .title for one part). Replaced as a whole.",
                            "每种语言一个主题和正文；可用 {{ticket.number}}、{{requester.name}} "
                            "等占位符，{{kb.article.12}} 按工单的语言给出帮助中心文章的标题和地址"
                            "（只要其一时加 .url 或 .title）。整体替换。"})
                    .required()
                    .schema(R"({"type": "array", "minItems": 1, "maxItems": 50, "items": )"
                            R"({"type": "object", "additionalProperties": false, )"
                            R"("required": ["language", "subject", "body"], "properties": {)"
                            R"("language": {"type": "string"}, "subject": {"type": "string"}, )"
                            R"("body": {"type": "string"}}}})",
                            R"([{"language": "en", "subject": "We got #{{ticket.number}}", )"
                            R"("body": "Hello {{requester.name}}"}])")),
       field_of(&MailTemplate::created_at, time_field("created_at")),
       field_of(&MailTemplate::updated_at, time_field("updated_at"))});
  return r;
}

void add_mail_templates(Resources& resources) {
  auto check = [](store::Connection& c, const Principal&, MailTemplate& mail,
                  const MailTemplate*) -> Result<void> {
    GONGDAN_ASSIGN(auto variants, read_mail_variants(mail.variants));
    mail.variants = std::move(variants);
    return check_kb_links(c, boost::json::serialize(mail.variants), "variants");
  };
  resources.add(mail_template_resource(), {.check = check});
}

}  // namespace gongdan::services
