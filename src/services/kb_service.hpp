// The knowledge base: four declared resources. Categories, sections and articles
// (/api/v1/kb/categories, /sections, /articles: admins, supervisors and agents write, light
// agents read), and the help centre's setting (/api/v1/help-settings: one row, admins write;
// help_settings.cpp). An article's words are its translations, one per language, each with its
// own state (draft → in_review → published → archived) and every saved state kept as a version
// that can be restored. Markdown is rendered once, when saved (cmark-gfm, then the sanitiser),
// and a published translation is in the search index from the same write.
//
// Readers outside the desk (the help centre, the portal's suggestions, the public search) see
// only published translations of articles their visibility allows; agents-only articles never
// reach a customer or an anonymous reader. Page views are counted in memory and written at most
// every few seconds (count_view), so the hot path makes no write.
//
// Threads: every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/kb.hpp"
#include "domain/resource.hpp"
#include "domain/text_diff.hpp"
#include "domain/ticket_access.hpp"
#include "services/principal.hpp"
#include "services/shared_cache.hpp"
#include "services/store_fwd.hpp"
#include "util/clock.hpp"

namespace gongdan::services {

class Resources;
class ResourceService;
class JobQueue;
class AttachmentFiles;

// The declarations (kb_resources.cpp).
const Resource<KbCategory>& kb_category_resource();
const Resource<KbSection>& kb_section_resource();
const Resource<KbArticle>& kb_article_resource();
const Resource<HelpSetting>& help_setting_resource();  // help_settings.cpp

// A reader's kind, for visibility: a principal's role, or anonymous.
KbReader kb_reader(const Principal* who);

// What a save of a translation changes; what is left out keeps its stored value (a new
// translation needs a title).
struct KbTranslationChange {
  std::optional<std::string> title;
  std::optional<std::string> body;
  std::optional<KbState> state;
  std::optional<std::int64_t> restored_from;  // set by restore: audited as kb_article.restore
  // Given: schedule publishing at that time (in the future; the translation stays a draft or in
  // review until then), or, when it holds none, cancel a schedule.
  std::optional<std::optional<Millis>> publish_at;
};

// What changed from one version of a translation to another.
struct KbVersionDiff {
  KbVersion from;
  KbVersion to;
  std::vector<DiffPiece> title;
  std::vector<DiffPiece> body;
};

// A published translation with what a reader's page or a hit needs.
struct KbEntry {
  std::int64_t article_id = 0;
  std::int64_t section_id = 0;
  KbVisibility visibility = KbVisibility::kPublic;
  std::vector<std::string> tags;
  KbTranslation translation;
  std::string snippet;  // search hits: HTML-escaped text around the match, matches in <mark>
  std::optional<std::int64_t> department_id;  // search hits: the category's; none: global
};

// A category's department scopes it to that department's agents (issue 18). In the desk (the
// search agents use, the suggestions beside a ticket, the article-link picker) an agent is
// offered the articles of global categories and of their own departments' only; an agents-only
// article in a department's category (its internal knowledge) is not shown to other agents
// anywhere. Public and customers-only articles stay readable in the help centre by everyone
// who could read them signed out. Admins, supervisors and agents granted every department see
// all; readers outside the desk are not scoped.
// The departments `viewer` is scoped to; none: not scoped.
using KbDepartments = std::optional<std::vector<std::int64_t>>;
KbDepartments kb_departments(const Viewer& viewer);

// The help centre's structure for one reader and language: categories with their sections and
// how many articles each section shows that reader.
struct KbSectionSummary {
  KbSection section;
  std::int64_t articles = 0;
};
struct KbCategorySummary {
  KbCategory category;
  std::vector<KbSectionSummary> sections;
};

class KbService {
 public:
  KbService(store::Database& db, const Clock& clock, JobQueue& jobs, AttachmentFiles& files)
      : db_(db), clock_(clock), jobs_(jobs), files_(files) {}

  // Declares the four resources with their hooks.
  void add_to(Resources& resources);

  // --- The desk: translations and versions (agents read, light agents may not write) ---
  Result<std::vector<KbTranslation>> translations(const Principal& who, std::int64_t article_id);
  Result<KbTranslation> translation(const Principal& who, std::int64_t article_id,
                                    std::string_view lang);
  // Creates or changes one language of an article: a new version each time.
  Result<KbTranslation> save_translation(const Principal& who, std::int64_t article_id,
                                         std::string_view lang, KbTranslationChange change);
  // The kb_publish job: publishes the translation its payload names when its schedule is still
  // the payload's (a schedule changed or cancelled since leaves the job nothing to do).
  Result<void> publish_scheduled(std::string_view payload);
  Result<std::vector<KbVersion>> versions(const Principal& who, std::int64_t article_id,
                                          std::string_view lang);
  // The difference between two versions (either order), by line or by word.
  Result<KbVersionDiff> diff(const Principal& who, std::int64_t article_id, std::string_view lang,
                             std::int64_t from, std::int64_t to, DiffUnit unit);
  // Makes an old version's title and body current again (as a new version; the state stays).
  Result<KbTranslation> restore(const Principal& who, std::int64_t article_id,
                                std::string_view lang, std::int64_t version);

  // --- Readers: published translations of visible articles only ---
  // Ranked hits in `lang` for `q` (the search box language: words, "phrases", -excluded).
  // kAll: every word must match (a search box); kAny: any may, more matches rank higher (a
  // ticket's subject as it is typed, for suggestions).
  enum class Match { kAll, kAny };
  // How an agent's `departments` (kb_departments) narrow what they are shown. kDesk (the desk's
  // search, the suggestions beside a ticket, drafts): the articles of global categories and of
  // their own departments only. kHelp (the help centre, where agents read what customers read):
  // only other departments' agents-only articles are left out. Every help centre list (home,
  // category, section, related articles, search) takes kHelp, so no page names an article its
  // reader could not open.
  enum class Scope { kDesk, kHelp };
  Result<std::vector<KbEntry>> search(KbReader reader, std::string_view q, std::string_view lang,
                                      int limit, Match match = Match::kAll,
                                      const KbDepartments& departments = std::nullopt,
                                      Scope scope = Scope::kDesk);
  // Whether an agent scoped to `departments` may not read the article at all: it is agents-only
  // in another department's category.
  Result<bool> internal_elsewhere(std::int64_t article_id, const KbDepartments& departments);
  // What a Markdown body renders to, for the editor's preview.
  static std::string preview(std::string_view markdown);
  Result<std::optional<KbEntry>> published(KbReader reader, std::int64_t article_id,
                                           std::string_view lang);
  // Lists of the help centre: `departments` with Scope::kHelp's rule.
  Result<std::vector<KbEntry>> section_articles(KbReader reader, std::int64_t section_id,
                                                std::string_view lang, int limit,
                                                const KbDepartments& departments = std::nullopt);
  Result<std::vector<KbEntry>> recent_articles(KbReader reader, std::string_view lang, int limit,
                                               const KbDepartments& departments = std::nullopt);
  Result<std::vector<std::string>> published_languages(std::int64_t article_id);
  // Categories (by position) with their sections and the counts `reader` sees in `lang`;
  // sections with nothing to show are left out, and categories left empty.
  Result<std::vector<KbCategorySummary>> structure(KbReader reader, std::string_view lang,
                                                   const KbDepartments& departments = std::nullopt);
  Result<std::optional<KbCategory>> category(std::int64_t id);
  Result<std::optional<KbSection>> section(std::int64_t id);
  struct SitemapEntry {
    std::int64_t article_id = 0;
    std::string lang;
    Millis updated_at = 0;
  };
  Result<std::vector<SitemapEntry>> sitemap();

  // A page view; written with others at most every kViewFlushMillis (or at flush_views).
  void count_view(std::int64_t translation_id);
  Result<void> flush_views();
  // "Was this helpful?": false when the article is not published in that language.
  Result<bool> vote(KbReader reader, std::int64_t article_id, std::string_view lang, bool helpful);
  // The numbers admins see: deflections since `since` (and, for reports, the same count).
  struct Stats {
    std::int64_t deflections = 0;
    std::int64_t views = 0;
    std::int64_t helpful = 0;
    std::int64_t unhelpful = 0;
  };
  Result<Stats> stats(const Principal& who, Millis since);
  // A customer opened a suggested article and left without submitting a ticket.
  Result<void> record_deflection(const Principal* who, std::int64_t article_id,
                                 std::string_view lang, std::string_view query);

  static constexpr Millis kViewFlushMillis = 5000;

  // --- An article's files: images its Markdown shows (![…](/help-files/12)) and documents ---
  // Stores `bytes` as a file of the article (writers only): over kKbMaxFileBytes is 413, an
  // image over kKbMaxImageSide pixels a side is 413, both naming the limit.
  Result<KbFile> add_file(const Principal& who, std::int64_t article_id, std::string_view filename,
                          std::string_view bytes);
  Result<std::vector<KbFile>> files(const Principal& who, std::int64_t article_id);
  Result<void> remove_file(const Principal& who, std::int64_t article_id, std::int64_t file_id);
  // A file and its bytes for `reader`: none when there is no such file or the reader may not see
  // its article (its visibility, and, for everyone but agents, a published translation).
  struct FileDownload {
    KbFile file;
    std::string bytes;
  };
  Result<std::optional<FileDownload>> read_file(KbReader reader, std::int64_t file_id);
  // The files of an article, for its page (the caller showed the reader the article).
  Result<std::vector<KbFile>> article_files(std::int64_t article_id);

  // The help centre's setting (name, logo, colour, languages), kept until the next change.
  Result<std::shared_ptr<const HelpSetting>> help_setting();

  // --- What readers' pages are made of ---
  // Moves after every committed change of categories, sections, articles, translations and
  // files, here and (through the broadcaster, on PostgreSQL) on every other node: a page
  // rendered at an older version may be stale.
  const std::atomic<std::uint64_t>& version() const { return version_; }
  void changed();
  void changed_here() { version_.fetch_add(1); }
  void set_broadcaster(std::function<void()> broadcaster) { broadcaster_ = std::move(broadcaster); }

 private:
  void add_help_setting(Resources& resources);
  Result<void> may_write(const Principal& who) const;
  // Writes `t` as its next version: the search rows, the version row and the article's summary.
  Result<void> commit_version(store::Connection& c, KbTranslation& t,
                              const std::optional<KbTranslation>& stored, Millis now);
  Result<void> may_read(const Principal& who) const;

  store::Database& db_;
  const Clock& clock_;
  JobQueue& jobs_;
  AttachmentFiles& files_;
  std::atomic<std::uint64_t> version_{0};
  std::function<void()> broadcaster_;  // set once at start-up
  SharedCache<HelpSetting> setting_cache_{version_};
  // Views not yet written, by translation id, and when they were last written.
  std::mutex views_mutex_;
  std::map<std::int64_t, std::int64_t> pending_views_;
  Millis views_written_at_ = 0;
};

}  // namespace gongdan::services
