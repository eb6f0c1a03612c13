// The help centre's HTML (/help/{lang}/…), written on the server: plain, fast, indexable pages
// that need no JavaScript. Each function returns a whole page for one language; every text that
// comes from people is escaped here (article bodies arrive already rendered and sanitised).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "services/kb_service.hpp"

namespace gongdan::api::help {

// What every page shares.
struct Frame {
  std::string lang;                     // one of `languages`
  std::string company;                  // the title beside every page's own; empty: a generic one
  std::string logo_url;                 // checked by check_help_setting; empty: none
  std::string colour = "#1d4ed8";       // #rrggbb, checked
  std::vector<std::string> languages;   // the help centre's, for the language links
  std::string path;                     // this page's path in `lang`, e.g. /help/en/articles/3
  std::string canonical;                // the canonical path (the page itself, or the fallback's)
  std::vector<std::string> alternates;  // languages the page exists in (hreflang)
  std::string alternate_path;           // `path` with {lang} in place of the language
  std::string query;                    // the search box's text
};

// A text in the page's language (Chinese words for zh-CN and zh-TW, English for the others).
std::string_view word(std::string_view lang, std::string_view key);
// A category's or section's name in `lang`: the Chinese one for Chinese (when there is one),
// the English one otherwise.
std::string name_in(const std::string& lang, const std::string& name, const std::string& name_zh);

std::string home_page(const Frame& f, const std::vector<services::KbCategorySummary>& structure,
                      const std::vector<services::KbEntry>& recent);
std::string category_page(
    const Frame& f, const KbCategory& category,
    const std::vector<std::pair<KbSection, std::vector<services::KbEntry>>>& sections);
std::string section_page(const Frame& f, const KbCategory& category, const KbSection& section,
                         const std::vector<services::KbEntry>& articles);
struct ArticleView {
  services::KbEntry entry;
  std::optional<KbCategory> category;
  std::optional<KbSection> section;
  std::vector<services::KbEntry> related;
  std::vector<KbFile> attachments;  // its files other than images (those are in its body)
  bool fallback = false;            // shown in another language than the one asked for
  bool voted = false;               // the reader just voted
};
std::string article_page(const Frame& f, const ArticleView& view);
std::string search_page(const Frame& f, const std::vector<services::KbEntry>& hits);
std::string not_found_page(const Frame& f);
std::string sitemap_xml(std::string_view base_url, const std::vector<std::string>& languages,
                        const std::vector<services::KbService::SitemapEntry>& entries);

}  // namespace gongdan::api::help
