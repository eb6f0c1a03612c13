// The knowledge base's rows beyond what the declared resources store (kb_categories,
// kb_sections and kb_articles go through resource_store): translations, their versions, reads
// for the help centre (published translations of visible articles only), view and vote counters,
// and deflections.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/kb.hpp"
#include "store/database.hpp"

namespace gongdan::store {

Result<std::optional<KbTranslation>> find_kb_translation(Connection& c, std::int64_t article_id,
                                                         std::string_view lang);
Result<std::vector<KbTranslation>> kb_translations_of(Connection& c, std::int64_t article_id);
// Inserts (id 0) or updates the translation; returns its id.
Result<std::int64_t> save_kb_translation(Connection& c, const KbTranslation& t);
Result<void> insert_kb_version(Connection& c, const KbVersion& v);
// Newest first.
Result<std::vector<KbVersion>> kb_versions_of(Connection& c, std::int64_t translation_id);
Result<std::optional<KbVersion>> find_kb_version(Connection& c, std::int64_t translation_id,
                                                 std::int64_t version);
// The article's summary of its translations (KbArticle::title and translations).
Result<void> set_kb_article_summary(Connection& c, std::int64_t article_id, std::string_view title,
                                    std::string_view translations_json, Millis now);

// A published translation with what a reader's page needs of its article.
struct KbPublished {
  std::int64_t article_id = 0;
  std::int64_t section_id = 0;
  KbVisibility visibility = KbVisibility::kPublic;
  std::vector<std::string> tags;
  KbTranslation translation;  // body fields filled only by find_kb_published
  // The department of the article's category (kb_published_by_ids only); none: global.
  std::optional<std::int64_t> department_id;
};

// The published translation of an article in `lang`, when its visibility is among
// `visibilities`.
Result<std::optional<KbPublished>> find_kb_published(
    Connection& c, std::int64_t article_id, std::string_view lang,
    const std::vector<std::string_view>& visibilities);
// Whether an agent of `departments` may not read the article: it is for agents only and its
// category belongs to another department (a department's internal knowledge).
Result<bool> kb_internal_elsewhere(Connection& c, std::int64_t article_id,
                                   const std::vector<std::int64_t>& departments);
// An agent's departments, when they are scoped to some: agents-only articles of other
// departments' categories are then left out of the lists below. None: no such rule.
using KbDepartmentScope = std::optional<std::vector<std::int64_t>>;
// Titles (no bodies) of the published translations in `lang` of a section's visible articles,
// in the section's order; section 0: every section's, newest first, at most `limit`.
Result<std::vector<KbPublished>> list_kb_published(
    Connection& c, std::int64_t section_id, std::string_view lang,
    const std::vector<std::string_view>& visibilities, int limit,
    const KbDepartmentScope& departments = std::nullopt);
// The languages an article is published in (for hreflang), in kb_languages() order.
Result<std::vector<std::string>> kb_published_languages(Connection& c, std::int64_t article_id);
// Published translations by id (search hits), with body text, restricted to visible articles;
// in no particular order.
Result<std::vector<KbPublished>> kb_published_by_ids(
    Connection& c, const std::vector<std::int64_t>& translation_ids,
    const std::vector<std::string_view>& visibilities);
// Published counts per section in `lang` for visible articles.
Result<std::map<std::int64_t, std::int64_t>> kb_published_counts(
    Connection& c, std::string_view lang, const std::vector<std::string_view>& visibilities,
    const KbDepartmentScope& departments = std::nullopt);
// Every published translation of public articles: (article id, lang, updated_at), for the
// sitemap.
struct KbSitemapEntry {
  std::int64_t article_id = 0;
  std::string lang;
  Millis updated_at = 0;
};
Result<std::vector<KbSitemapEntry>> kb_sitemap_entries(Connection& c, int limit);
// Published translations whose search rows a rebuild writes: id, lang, title, body_text.
Result<void> each_kb_published(Connection& c,
                               const std::function<Result<void>(const KbTranslation&)>& fn);

// An article's files (KbFile): inserted, listed oldest first, found, removed.
Result<std::int64_t> insert_kb_file(Connection& c, const KbFile& f);
Result<std::vector<KbFile>> kb_files_of(Connection& c, std::int64_t article_id);
Result<std::optional<KbFile>> find_kb_file(Connection& c, std::int64_t file_id);
Result<bool> delete_kb_file(Connection& c, std::int64_t article_id, std::int64_t file_id);
// Whether the article has a published translation (its files are then for its readers).
Result<bool> kb_article_published(Connection& c, std::int64_t article_id);

// The knowledge base's generation (migration 57): moved in the transaction of every change the
// help centre shows, read by each node to learn of changes whose notice it missed.
Result<void> bump_kb_generation(Connection& c);
Result<std::int64_t> kb_generation(Connection& c);

// Counters: views by translation id (ids in order, 64 a statement); a vote.
Result<void> add_kb_views(Connection& c, const std::map<std::int64_t, std::int64_t>& views);
Result<bool> add_kb_vote(Connection& c, std::int64_t translation_id, bool helpful);
Result<void> insert_kb_deflection(Connection& c, std::int64_t article_id, std::string_view lang,
                                  std::optional<std::int64_t> user_id, std::string_view query,
                                  Millis at);
Result<std::int64_t> count_kb_deflections(Connection& c, Millis since);
// Views, helpful and unhelpful votes over every translation.
Result<std::array<std::int64_t, 3>> kb_counter_totals(Connection& c);

}  // namespace gongdan::store
