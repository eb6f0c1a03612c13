// Mail templates (admins) for the send_mail action of triggers and automations, as the declared
// resource `mail-templates` (services/resource_service.hpp): a name and one variant per language
// (domain/mail_template.hpp), the variants checked and cleaned when saved.
#pragma once

#include "domain/mail_template.hpp"
#include "domain/resource.hpp"
#include "services/resource_service.hpp"

namespace gongdan::services {

const Resource<MailTemplate>& mail_template_resource();
void add_mail_templates(Resources& resources);

}  // namespace gongdan::services
