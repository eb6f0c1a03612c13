// Knowledge-base article links in the text triggers and macros add to a ticket (issue 18):
// {{kb.article.12}} is the article's title and help-centre address ("Title: URL"),
// {{kb.article.12.url}} and {{kb.article.12.title}} each part alone. They follow the ticket's
// language: the article's published translation in that language, else in the help centre's
// default language (the first of its languages); an article published in neither, or one the
// reader may not see, renders empty like any placeholder without a value.
#pragma once

#include <string>
#include <string_view>

#include "domain/fact.hpp"
#include "domain/kb.hpp"
#include "domain/ticket.hpp"
#include "services/store_fwd.hpp"
#include "util/result.hpp"

namespace gongdan::services {

// Adds to `facts` the links `text` names, for `ticket`. `reader`: who gets the text (a customer
// for a public reply or a mail to the requester, an agent for a note), so an agents-only
// article never reaches a customer. `public_url`: the desk's address (config public_url); when
// it is not set the address is the path alone (/help/en/articles/12).
Result<void> add_kb_link_facts(store::Connection& c, std::string_view text, const Ticket& ticket,
                               KbReader reader, std::string_view public_url, FactMap& facts);

// What templates say of the install: its address (config public_url; empty, paths alone) and
// its name (config company_name, which the help centre's setting overrides).
struct SiteNames {
  std::string public_url;
  std::string company_name;
};

// Adds to `facts` the install's placeholders `text` names: {{ticket.url}} (the ticket's page
// for whoever gets the text: the portal's for a customer, the desk's for an agent),
// {{portal.url}} (the portal's home) and {{brand.name}} (the help centre's company name, else
// config company_name; empty when neither is set).
Result<void> add_site_facts(store::Connection& c, std::string_view text, const Ticket& ticket,
                            KbReader reader, const SiteNames& site, FactMap& facts);

// When a template is saved: every article `text` links to exists (a typo is a 400 naming
// `field`, not a link that silently renders empty).
Result<void> check_kb_links(store::Connection& c, std::string_view text, std::string_view field);

}  // namespace gongdan::services
