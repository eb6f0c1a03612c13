#include "services/kb_links.hpp"

#include "domain/template.hpp"
#include "services/kb_service.hpp"
#include "services/resource_load.hpp"
#include "store/database.hpp"
#include "store/kb_store.hpp"

namespace gongdan::services {

Result<void> add_kb_link_facts(store::Connection& c, std::string_view text, const Ticket& ticket,
                               KbReader reader, std::string_view public_url, FactMap& facts) {
  const auto ids = linked_articles(text);
  if (ids.empty()) return {};
  GONGDAN_ASSIGN(auto settings, load_all(c, help_setting_resource()));
  const auto languages = settings.empty() ? HelpSetting{}.languages : settings.front().languages;
  // The ticket's language as the help centre spells it (zh → zh-CN), then the default.
  std::vector<std::string> wanted;
  if (auto lang = kb_language_among(ticket.language, languages)) wanted.push_back(*lang);
  if (!languages.empty() && (wanted.empty() || wanted.front() != languages.front()))
    wanted.push_back(languages.front());
  std::string base(public_url);
  while (base.ends_with('/')) base.pop_back();
  const auto visibilities = kb_visibilities_for(reader);
  for (auto id : ids) {
    for (const auto& lang : wanted) {
      GONGDAN_ASSIGN(auto found, store::find_kb_published(c, id, lang, visibilities));
      if (!found) continue;
      const auto name = "kb.article." + std::to_string(id);
      const auto url = base + "/help/" + lang + "/articles/" + std::to_string(id);
      facts[name] = found->translation.title + ": " + url;
      facts[name + ".url"] = url;
      facts[name + ".title"] = found->translation.title;
      break;
    }
  }
  return {};
}

Result<void> add_site_facts(store::Connection& c, std::string_view text, const Ticket& ticket,
                            KbReader reader, const SiteNames& site, FactMap& facts) {
  std::string base = site.public_url;
  while (base.ends_with('/')) base.pop_back();
  const std::string number = std::to_string(ticket.number);
  facts["ticket.url"] =
      base + (reader == KbReader::kAgent ? "/desk/tickets/" : "/portal/tickets/") + number;
  facts["portal.url"] = base + "/portal/";
  if (text.find("brand.name") == std::string_view::npos) return {};
  GONGDAN_ASSIGN(auto settings, load_all(c, help_setting_resource()));
  std::string brand = settings.empty() ? std::string() : settings.front().company_name;
  facts["brand.name"] = brand.empty() ? site.company_name : brand;
  return {};
}

Result<void> check_kb_links(store::Connection& c, std::string_view text, std::string_view field) {
  for (auto id : linked_articles(text)) {
    GONGDAN_ASSIGN(auto n,
                   store::select_count(c, "SELECT COUNT(*) FROM kb_articles WHERE id = ?", id));
    if (n == 0)
      return fail(ErrorCode::kInvalidArgument,
                  "no knowledge-base article " + std::to_string(id) + " (linked as {{kb.article." +
                      std::to_string(id) + "}})",
                  std::string(field));
  }
  return {};
}

}  // namespace gongdan::services
