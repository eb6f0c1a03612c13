#include "services/kb_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <tuple>

#include "domain/attachment_name.hpp"
#include "domain/image_size.hpp"
#include "domain/report_rollup.hpp"
#include "domain/search_text.hpp"
#include "markup/markdown.hpp"
#include "services/attachment_files.hpp"
#include "services/audit.hpp"
#include "services/job_kinds.hpp"
#include "services/job_queue.hpp"
#include "services/kb_background.hpp"
#include "services/resource_load.hpp"
#include "store/database.hpp"
#include "store/kb_store.hpp"
#include "store/search_index.hpp"
#include "util/iso_time.hpp"
#include "util/json_members.hpp"
#include "util/text.hpp"
#include "util/thread_name.hpp"

namespace gongdan::services {
namespace {

Result<std::string> language_of(std::string_view lang) {
  auto canonical = parse_kb_language(lang);
  if (!canonical)
    return fail(ErrorCode::kInvalidArgument,
                "use one of the languages zh-CN, en, zh-TW, ja, ko, fr, de or es", "lang");
  return *canonical;
}

Result<void> index_if_published(store::SearchIndex& index, store::Connection& c,
                                const KbTranslation& t) {
  if (t.state != KbState::kPublished) return {};
  return index.index_article(c, t.id, t.lang, search::index_text(t.title),
                             search::index_text(t.body_text));
}

Result<void> unindex_if_published(store::SearchIndex& index, store::Connection& c,
                                  const KbTranslation& t) {
  if (t.state != KbState::kPublished) return {};
  return index.unindex_article(c, t.id, t.lang, search::index_text(t.title),
                               search::index_text(t.body_text));
}

// The article's title is its first translation's (zh-CN before en when both were made at once).
Result<void> refresh_summary(store::Connection& c, std::int64_t article_id, Millis now) {
  GONGDAN_ASSIGN(auto all, store::kb_translations_of(c, article_id));
  const std::string title = all.empty() ? std::string() : all.front().title;
  return store::set_kb_article_summary(c, article_id, title,
                                       boost::json::serialize(kb_translation_summary(all)), now);
}

// A change's title and body cleaned, and each checked against its limit; a schedule must be
// in the next ten years.
Result<void> check_change(KbTranslationChange& change, Millis now) {
  if (change.body && change.body->size() > kKbMaxBodyBytes)
    return fail(ErrorCode::kPayloadTooLarge,
                "the article body is over the limit of " + std::to_string(kKbMaxBodyBytes) +
                    " bytes (256 KiB)",
                "body");
  if (change.title) {
    *change.title = text::trim(text::strip_controls(*change.title));
    if (change.title->empty())
      return fail(ErrorCode::kInvalidArgument, "the title may not be empty", "title");
    if (change.title->size() > kKbMaxTitleBytes)
      return fail(ErrorCode::kInvalidArgument,
                  "the title is over " + std::to_string(kKbMaxTitleBytes) + " bytes", "title");
  }
  if (change.body) *change.body = text::strip_controls(*change.body, true);
  if (change.publish_at && *change.publish_at) {
    if (**change.publish_at <= now)
      return fail(ErrorCode::kInvalidArgument,
                  "publish_at has passed: schedule a time to come, or publish now", "publish_at");
    if (**change.publish_at > now + kKbMaxScheduleMillis)
      return fail(ErrorCode::kInvalidArgument, "publish_at is more than ten years away",
                  "publish_at");
  }
  return {};
}

// `t` changed as `change` says (`rendered`: the new body's HTML and text), or a conflict: a
// state it may not move to, or a schedule on a published or archived translation.
Result<void> apply_change(KbTranslation& t, const KbTranslationChange& change,
                          const std::optional<markup::RenderedMarkdown>& rendered, Millis now) {
  const KbState from = t.state;
  if (change.state && !kb_state_may_move(from, *change.state))
    return fail(ErrorCode::kConflict,
                "a translation cannot move from " + std::string(kb_state_name(from)) + " to " +
                    std::string(kb_state_name(*change.state)),
                "state");
  if ((change.title && *change.title != t.title) || (change.body && *change.body != t.body))
    t.text_updated_at = now;
  if (change.title) t.title = *change.title;
  if (change.body) {
    t.body = *change.body;
    t.body_html = rendered->html;
    t.body_text = rendered->text;
  }
  if (change.state) t.state = *change.state;
  if (t.state == KbState::kPublished && from != KbState::kPublished) t.published_at = now;
  if (change.publish_at) t.publish_at = *change.publish_at;
  // Published or archived by hand: nothing is left to schedule.
  if (t.state == KbState::kPublished || t.state == KbState::kArchived) {
    if (change.publish_at && *change.publish_at)
      return fail(ErrorCode::kConflict, "only a draft or a translation in review can be scheduled",
                  "publish_at");
    t.publish_at.reset();
  }
  return {};
}

// The job that publishes `t` at its publish_at.
NewJob publish_job(const KbTranslation& t, std::int64_t article_id, const std::string& lang) {
  NewJob job;
  job.kind = std::string(kKbPublishJob);
  job.run_at = *t.publish_at;
  job.idempotency_key = "kb-publish-" + std::to_string(t.id) + "-" + std::to_string(*t.publish_at);
  job.payload = boost::json::serialize(boost::json::object{
      {"article_id", article_id}, {"lang", lang}, {"publish_at", *t.publish_at}});
  return job;
}

// What the audit log records of a save.
std::string audit_detail(const KbTranslation& t, const std::string& lang,
                         const KbTranslationChange& change) {
  boost::json::object detail{
      {"lang", lang}, {"version", t.version}, {"state", kb_state_name(t.state)}};
  if (change.restored_from) detail["restored_from"] = *change.restored_from;
  if (change.publish_at)
    detail["publish_at"] =
        t.publish_at ? boost::json::value(iso_time(*t.publish_at)) : boost::json::value(nullptr);
  return boost::json::serialize(detail);
}

KbEntry entry_of(store::KbPublished p) {
  return {p.article_id, p.section_id,   p.visibility, std::move(p.tags), std::move(p.translation),
          {},           p.department_id};
}

// What `list_of` reads of one article (its translations, its files), in one read; kNotFound when
// there is no such article.
template <class Item>
Result<std::vector<Item>> read_of_article(store::Database& db, std::int64_t article_id,
                                          Result<std::vector<Item>> (*list_of)(store::Connection&,
                                                                               std::int64_t)) {
  std::vector<Item> out;
  GONGDAN_TRY(db.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto article, load_one(c, kb_article_resource(), article_id));
    if (!article) return fail(kb_article_resource().info.not_found());
    GONGDAN_ASSIGN(out, list_of(c, article_id));
    return {};
  }));
  return out;
}

}  // namespace

KbDepartments kb_departments(const Viewer& viewer) {
  if (!viewer.is_agent() || viewer.sees_all_departments()) return std::nullopt;
  return viewer.departments;
}

Result<bool> KbService::internal_elsewhere(std::int64_t article_id,
                                           const KbDepartments& departments) {
  if (!departments) return false;
  return store::read_value(db_, [&](store::Connection& c) {
    return store::kb_internal_elsewhere(c, article_id, *departments);
  });
}

KbReader kb_reader(const Principal* who) {
  if (!who) return KbReader::kAnonymous;
  return who->is_agent() ? KbReader::kAgent : KbReader::kCustomer;
}

Result<void> KbService::may_read(const Principal& who) const {
  if (who.is_agent()) return {};
  return fail(ErrorCode::kPermissionDenied, "only agents may read drafts and versions");
}

Result<void> KbService::may_write(const Principal& who) const {
  if (who.can(Permission::kManageKnowledgeBase)) return {};
  return fail(ErrorCode::kPermissionDenied, "your role may not change articles (kb.manage)");
}

Result<std::vector<KbTranslation>> KbService::translations(const Principal& who,
                                                           std::int64_t article_id) {
  GONGDAN_TRY(may_read(who));
  return read_of_article(db_, article_id, store::kb_translations_of);
}

Result<KbTranslation> KbService::translation(const Principal& who, std::int64_t article_id,
                                             std::string_view lang_tag) {
  GONGDAN_TRY(may_read(who));
  GONGDAN_ASSIGN(auto lang, language_of(lang_tag));
  std::optional<KbTranslation> found;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(found, store::find_kb_translation(c, article_id, lang));
    return {};
  }));
  if (!found) return fail(ErrorCode::kNotFound, "the article has no " + lang + " translation");
  return std::move(*found);
}

Result<KbTranslation> KbService::save_translation(const Principal& who, std::int64_t article_id,
                                                  std::string_view lang_tag,
                                                  KbTranslationChange change) {
  GONGDAN_TRY(may_write(who));
  GONGDAN_ASSIGN(auto lang, language_of(lang_tag));
  const Millis now = clock_.now_ms();
  GONGDAN_TRY(check_change(change, now));
  // Rendered before the write: cmark and the sanitiser need no database.
  std::optional<markup::RenderedMarkdown> rendered;
  if (change.body) rendered = markup::render_markdown(*change.body);
  KbTranslation saved;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto article, load_one(c, kb_article_resource(), article_id));
    if (!article) return fail(kb_article_resource().info.not_found());
    GONGDAN_ASSIGN(auto stored, store::find_kb_translation(c, article_id, lang));
    KbTranslation t;
    if (stored) {
      t = *stored;
    } else {
      if (!change.title)
        return fail(ErrorCode::kInvalidArgument, "a new translation needs a title", "title");
      t.article_id = article_id;
      t.lang = lang;
      t.created_at = now;
    }
    const bool unchanged = stored && (!change.title || *change.title == t.title) &&
                           (!change.body || *change.body == t.body) &&
                           (!change.state || *change.state == t.state) &&
                           (!change.publish_at || *change.publish_at == t.publish_at);
    if (unchanged) {
      saved = t;
      return {};
    }
    GONGDAN_TRY(apply_change(t, change, rendered, now));
    t.author_id = actor_id(who);
    GONGDAN_TRY(commit_version(c, t, stored, now));
    if (t.publish_at && (!stored || stored->publish_at != t.publish_at))
      GONGDAN_TRY(jobs_.enqueue(c, publish_job(t, article_id, lang)));
    saved = t;
    return record_audit(c, now, actor_id(who),
                        change.restored_from ? "kb_article.restore" : "kb_article.translation",
                        "kb_article:" + std::to_string(article_id), who.ip,
                        audit_detail(t, lang, change));
  }));
  changed();
  return saved;
}

Result<void> KbService::commit_version(store::Connection& c, KbTranslation& t,
                                       const std::optional<KbTranslation>& stored, Millis now) {
  auto& index = db_.search_index();
  if (stored) GONGDAN_TRY(unindex_if_published(index, c, *stored));
  t.version += 1;
  t.updated_at = now;
  GONGDAN_ASSIGN(t.id, store::save_kb_translation(c, t));
  GONGDAN_TRY(store::insert_kb_version(
      c, {0, t.id, t.version, t.title, t.body, t.state, t.author_id, {}, now}));
  GONGDAN_TRY(index_if_published(index, c, t));
  GONGDAN_TRY(refresh_summary(c, t.article_id, now));
  // Last of the knowledge base's rows (and before the audit row) in every write, so that two
  // writers never wait for each other's locks in opposite orders.
  return store::bump_kb_generation(c);
}

Result<void> KbService::publish_scheduled(std::string_view payload) {
  const JsonMembers job(payload);
  const auto article = job.integer("article_id");
  const auto lang = job.text("lang");
  const auto at = job.integer("publish_at");
  if (!article || !lang || !at)
    return fail(ErrorCode::kInvalidArgument,
                "a kb_publish job needs article_id, lang and publish_at");
  const Millis now = clock_.now_ms();
  auto published = db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto stored, store::find_kb_translation(c, *article, *lang));
    // Rescheduled, cancelled, published by hand or removed since: nothing to do.
    if (!stored || stored->publish_at != *at ||
        !kb_state_may_move(stored->state, KbState::kPublished))
      return {};
    KbTranslation t = *stored;
    t.state = KbState::kPublished;
    t.published_at = now;
    t.publish_at.reset();
    GONGDAN_TRY(commit_version(c, t, stored, now));
    return record_audit(c, now, std::nullopt, "kb_article.publish_scheduled",
                        "kb_article:" + std::to_string(t.article_id), "",
                        boost::json::serialize(boost::json::object{
                            {"lang", t.lang}, {"version", t.version}, {"state", "published"}}));
  });
  changed();
  return published;
}

Result<std::vector<KbVersion>> KbService::versions(const Principal& who, std::int64_t article_id,
                                                   std::string_view lang) {
  GONGDAN_ASSIGN(auto t, translation(who, article_id, lang));
  std::vector<KbVersion> out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(out, store::kb_versions_of(c, t.id));
    return {};
  }));
  return out;
}

Result<KbTranslation> KbService::restore(const Principal& who, std::int64_t article_id,
                                         std::string_view lang, std::int64_t version) {
  GONGDAN_TRY(may_write(who));
  GONGDAN_ASSIGN(auto t, translation(who, article_id, lang));
  std::optional<KbVersion> old;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(old, store::find_kb_version(c, t.id, version));
    return {};
  }));
  if (!old) return fail(ErrorCode::kNotFound, "no such version", "version");
  return save_translation(who, article_id, lang, {old->title, old->body, std::nullopt, version});
}

Result<KbVersionDiff> KbService::diff(const Principal& who, std::int64_t article_id,
                                      std::string_view lang, std::int64_t from, std::int64_t to,
                                      DiffUnit unit) {
  GONGDAN_ASSIGN(auto t, translation(who, article_id, lang));
  KbVersionDiff out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    for (auto [number, into, field] :
         {std::tuple{from, &out.from, "from"}, std::tuple{to, &out.to, "to"}}) {
      GONGDAN_ASSIGN(auto found, store::find_kb_version(c, t.id, number));
      if (!found) return fail(ErrorCode::kNotFound, "no version " + std::to_string(number), field);
      *into = std::move(*found);
    }
    return {};
  }));
  // Bodies are at most 256 KiB and the edits counted are capped (text_diff.hpp): no limit here.
  out.title = text_diff(out.from.title, out.to.title, DiffUnit::kWord);
  out.body = text_diff(out.from.body, out.to.body, unit);
  return out;
}

// --- Readers ---------------------------------------------------------------------------------

std::string KbService::preview(std::string_view markdown) {
  return markup::markdown_to_html(markdown.substr(0, std::min(markdown.size(), kKbMaxBodyBytes)));
}

Result<std::vector<KbEntry>> KbService::search(KbReader reader, std::string_view raw,
                                               std::string_view lang_tag, int limit, Match mode,
                                               const KbDepartments& departments, Scope scope) {
  if (raw.size() > search::kMaxQueryBytes)
    return fail(ErrorCode::kInvalidArgument, "the query is too long", "q");
  GONGDAN_ASSIGN(auto lang, language_of(lang_tag));
  const auto query = search::parse_search_query(raw);
  std::string match;
  if (mode == Match::kAll) {
    match = search::fts_match(query);
  } else {
    std::vector<std::string> texts = query.terms;
    texts.insert(texts.end(), query.phrases.begin(), query.phrases.end());
    match = search::fts_match_any(texts);
  }
  std::vector<KbEntry> out;
  if (match.empty()) return out;
  const auto visibilities = kb_visibilities_for(reader);
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    // The index ranks; hits the reader may not see are dropped, so ask for a window beyond the
    // page (agents-only articles are few beside the public ones).
    GONGDAN_ASSIGN(auto ids, db_.search_index().search_articles(c, match, lang, limit * 4 + 20));
    if (ids.empty()) return {};
    GONGDAN_ASSIGN(auto found, store::kb_published_by_ids(c, ids, visibilities));
    std::map<std::int64_t, store::KbPublished*> by_id;
    for (auto& p : found) by_id[p.translation.id] = &p;
    for (auto id : ids) {
      if (static_cast<int>(out.size()) >= limit) break;
      auto it = by_id.find(id);
      if (it == by_id.end()) continue;
      if (const auto& d = it->second->department_id;
          departments && d && std::ranges::find(*departments, *d) == departments->end() &&
          (scope == Scope::kDesk || it->second->visibility == KbVisibility::kAgents))
        continue;
      auto entry = entry_of(std::move(*it->second));
      entry.snippet = search::snippet(entry.translation.body_text, query);
      entry.translation.body.clear();
      entry.translation.body_html.clear();
      out.push_back(std::move(entry));
    }
    return {};
  }));
  return out;
}

Result<std::optional<KbEntry>> KbService::published(KbReader reader, std::int64_t article_id,
                                                    std::string_view lang) {
  std::optional<KbEntry> out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto found,
                   store::find_kb_published(c, article_id, lang, kb_visibilities_for(reader)));
    if (found) out = entry_of(std::move(*found));
    return {};
  }));
  return out;
}

Result<std::vector<KbEntry>> KbService::section_articles(KbReader reader, std::int64_t section_id,
                                                         std::string_view lang, int limit,
                                                         const KbDepartments& departments) {
  std::vector<KbEntry> out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto found,
                   store::list_kb_published(c, section_id, lang, kb_visibilities_for(reader), limit,
                                            departments));
    for (auto& p : found) out.push_back(entry_of(std::move(p)));
    return {};
  }));
  return out;
}

Result<std::vector<KbEntry>> KbService::recent_articles(KbReader reader, std::string_view lang,
                                                        int limit,
                                                        const KbDepartments& departments) {
  return section_articles(reader, 0, lang, limit, departments);
}

Result<std::vector<std::string>> KbService::published_languages(std::int64_t article_id) {
  std::vector<std::string> out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(out, store::kb_published_languages(c, article_id));
    return {};
  }));
  return out;
}

Result<std::vector<KbCategorySummary>> KbService::structure(KbReader reader, std::string_view lang,
                                                            const KbDepartments& departments) {
  std::vector<KbCategorySummary> out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto categories, load_all(c, kb_category_resource()));
    GONGDAN_ASSIGN(auto sections, load_all(c, kb_section_resource()));
    GONGDAN_ASSIGN(auto counts,
                   store::kb_published_counts(c, lang, kb_visibilities_for(reader), departments));
    for (auto& category : categories) {
      KbCategorySummary summary{std::move(category), {}};
      for (const auto& s : sections) {
        if (s.category_id != summary.category.id) continue;
        auto n = counts.find(s.id);
        if (n == counts.end() || n->second == 0) continue;
        summary.sections.push_back({s, n->second});
      }
      if (!summary.sections.empty()) out.push_back(std::move(summary));
    }
    return {};
  }));
  return out;
}

Result<std::optional<KbCategory>> KbService::category(std::int64_t id) {
  return load_one(db_, kb_category_resource(), id);
}

Result<std::optional<KbSection>> KbService::section(std::int64_t id) {
  return load_one(db_, kb_section_resource(), id);
}

Result<std::vector<KbService::SitemapEntry>> KbService::sitemap() {
  std::vector<SitemapEntry> out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    // One sitemap file holds at most 50,000 addresses.
    GONGDAN_ASSIGN(auto rows, store::kb_sitemap_entries(c, 50000));
    for (auto& r : rows) out.push_back({r.article_id, std::move(r.lang), r.updated_at});
    return {};
  }));
  return out;
}

// Only counted here: KbBackground writes the views every kViewFlushMillis (and at stop), so the
// page never waits for, or queues, a write.
void KbService::count_view(std::int64_t translation_id) {
  std::lock_guard lock(views_mutex_);
  ++pending_views_[translation_id];
}

Result<void> KbService::flush_views() {
  // One flush at a time (one KbService a process), so that a flush returns only after what an
  // earlier one took is written: the numbers admins read (stats) then hold every view before.
  static std::mutex flushing;
  std::lock_guard one_at_a_time(flushing);
  std::map<std::int64_t, std::int64_t> views;
  {
    std::lock_guard lock(views_mutex_);
    views.swap(pending_views_);
    views_written_at_ = clock_.now_ms();
  }
  if (views.empty()) return {};
  auto written = db_.write([&](store::Connection& c) { return store::add_kb_views(c, views); });
  if (!written) {
    // Not written (the transaction rolled back): counted again with the next flush.
    std::lock_guard lock(views_mutex_);
    for (const auto& [id, n] : views) pending_views_[id] += n;
  }
  return written;
}

Result<bool> KbService::vote(KbReader reader, std::int64_t article_id, std::string_view lang,
                             bool helpful) {
  GONGDAN_ASSIGN(auto entry, published(reader, article_id, lang));
  if (!entry) return false;
  bool counted = false;
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(counted, store::add_kb_vote(c, entry->translation.id, helpful));
    return {};
  }));
  return counted;
}

Result<KbService::Stats> KbService::stats(const Principal& who, Millis since) {
  GONGDAN_TRY(require(who, Permission::kViewAllReports, "read the knowledge base's numbers"));
  GONGDAN_TRY(flush_views());
  Stats out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(out.deflections, store::count_kb_deflections(c, since));
    GONGDAN_ASSIGN(auto totals, store::kb_counter_totals(c));
    out.views = totals[0];
    out.helpful = totals[1];
    out.unhelpful = totals[2];
    return {};
  }));
  return out;
}

Result<void> KbService::record_deflection(const Principal* who, std::int64_t article_id,
                                          std::string_view lang_tag, std::string_view query) {
  GONGDAN_ASSIGN(auto lang, language_of(lang_tag));
  GONGDAN_ASSIGN(auto entry, published(kb_reader(who), article_id, lang));
  if (!entry) return fail(kb_article_resource().info.not_found());
  std::optional<std::int64_t> user;
  if (who && who->user.id) user = who->user.id;
  const std::string q = text::cut_utf8(text::trim(query), 200);
  return db_.write([&](store::Connection& c) -> Result<void> {
    const Millis now = clock_.now_ms();
    GONGDAN_TRY(store::insert_kb_deflection(c, article_id, lang, user, q, now));
    // The report kb_deflections (docs/metrics.md) counts it at its hour.
    if (rollups_kept()) {
      RollupDeltas deltas;
      rollup_kb_deflection(now, deltas);
      for (const auto& [key, delta] : deltas) c.add_count(key, delta);
    }
    return {};
  });
}

// --- Files ------------------------------------------------------------------------------------

namespace {

// A file an article refuses: over the size limit, or an image over its side limit.
Result<void> check_file(std::string_view bytes, std::string_view detected_type) {
  if (bytes.empty()) return fail(ErrorCode::kInvalidArgument, "the file is empty", "file");
  if (!kb_file_is_image(detected_type)) return {};
  const auto size = image_size(bytes);
  if (!size)
    return fail(ErrorCode::kInvalidArgument,
                "the image cannot be read: " + std::string(detected_type) + " with a broken header",
                "file");
  if (size->width > kKbMaxImageSide || size->height > kKbMaxImageSide)
    return fail(ErrorCode::kPayloadTooLarge,
                "the image is " + std::to_string(size->width) + " × " +
                    std::to_string(size->height) + " pixels, over the limit of " +
                    std::to_string(kKbMaxImageSide) + " pixels a side",
                "file");
  return {};
}

}  // namespace

void KbService::changed() {
  version_.fetch_add(1);
  if (broadcaster_) broadcaster_();
}

Result<KbFile> KbService::add_file(const Principal& who, std::int64_t article_id,
                                   std::string_view filename, std::string_view bytes) {
  GONGDAN_TRY(may_write(who));
  if (bytes.size() > kKbMaxFileBytes)
    return fail(ErrorCode::kPayloadTooLarge,
                "the file is " + std::to_string(bytes.size()) + " bytes, over the limit of " +
                    std::to_string(kKbMaxFileBytes) + " bytes (5 MiB)",
                "file");
  GONGDAN_TRY(check_file(bytes, detect_media_type(bytes)));
  GONGDAN_ASSIGN(auto article, load_one(db_, kb_article_resource(), article_id));
  if (!article) return fail(kb_article_resource().info.not_found());
  GONGDAN_ASSIGN(auto blob, files_.put(bytes));  // durable before the row that names it
  KbFile f;
  f.article_id = article_id;
  f.sha256 = blob.sha256;
  f.filename = sanitize_filename(filename);
  f.content_type = blob.detected_type;
  f.size = static_cast<std::int64_t>(blob.size);
  f.uploaded_by = actor_id(who);
  f.created_at = clock_.now_ms();
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto still, load_one(c, kb_article_resource(), article_id));
    if (!still) return fail(kb_article_resource().info.not_found());
    GONGDAN_ASSIGN(f.id, store::insert_kb_file(c, f));
    GONGDAN_TRY(store::bump_kb_generation(c));
    return record_audit(c, f.created_at, actor_id(who), "kb_article.file_added",
                        "kb_article:" + std::to_string(article_id), who.ip,
                        boost::json::serialize(boost::json::object{
                            {"file", f.id}, {"filename", f.filename}, {"size", f.size}}));
  }));
  changed();
  return f;
}

Result<std::vector<KbFile>> KbService::files(const Principal& who, std::int64_t article_id) {
  GONGDAN_TRY(may_read(who));
  return read_of_article(db_, article_id, store::kb_files_of);
}

Result<void> KbService::remove_file(const Principal& who, std::int64_t article_id,
                                    std::int64_t file_id) {
  GONGDAN_TRY(may_write(who));
  GONGDAN_TRY(db_.write([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(bool removed, store::delete_kb_file(c, article_id, file_id));
    if (!removed) return fail(ErrorCode::kNotFound, "the article has no such file", "file");
    GONGDAN_TRY(store::bump_kb_generation(c));
    return record_audit(c, clock_.now_ms(), actor_id(who), "kb_article.file_removed",
                        "kb_article:" + std::to_string(article_id), who.ip,
                        boost::json::serialize(boost::json::object{{"file", file_id}}));
  }));
  // The blob stays: the same bytes may be another article's or a ticket's (content-addressed).
  changed();
  return {};
}

Result<std::optional<KbService::FileDownload>> KbService::read_file(KbReader reader,
                                                                    std::int64_t file_id) {
  std::optional<KbFile> found;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(auto f, store::find_kb_file(c, file_id));
    if (!f) return {};
    GONGDAN_ASSIGN(auto article, load_one(c, kb_article_resource(), f->article_id));
    if (!article || !kb_visible_to(article->visibility, reader)) return {};
    if (reader != KbReader::kAgent) {
      GONGDAN_ASSIGN(bool published, store::kb_article_published(c, f->article_id));
      if (!published) return {};
    }
    found = std::move(*f);
    return {};
  }));
  if (!found) return std::optional<FileDownload>{};
  GONGDAN_ASSIGN(auto bytes, files_.read(found->sha256));
  return std::optional<FileDownload>{FileDownload{std::move(*found), std::move(bytes)}};
}

Result<std::vector<KbFile>> KbService::article_files(std::int64_t article_id) {
  std::vector<KbFile> out;
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    GONGDAN_ASSIGN(out, store::kb_files_of(c, article_id));
    return {};
  }));
  return out;
}

// --- KbBackground (services/kb_background.hpp): here rather than in a file of its own, which
// would move the services' unity batches and so rebuild all of them ---

Result<void> KbBackground::start() {
  GONGDAN_TRY(check_generation());
  thread_ = std::jthread([this](std::stop_token stop) {
    name_this_thread("gd-kb");
    run(stop);
  });
  return {};
}

void KbBackground::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
  if (auto flushed = kb_.flush_views(); !flushed)
    spdlog::warn("kb: page views not written at shutdown: {}", flushed.error().message);
}

void KbBackground::run(std::stop_token stop) {
  const std::chrono::milliseconds every(KbService::kViewFlushMillis);
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, stop, every, [] { return false; }) && !stop.stop_requested()) {
    lock.unlock();
    if (auto flushed = kb_.flush_views(); !flushed)
      spdlog::warn("kb: page views not written: {}", flushed.error().message);
    if (auto checked = check_generation(); !checked)
      spdlog::warn("kb: cannot read the knowledge base's generation: {}", checked.error().message);
    lock.lock();
  }
}

Result<void> KbBackground::check_generation() {
  GONGDAN_ASSIGN(auto generation, store::read_value(db_, [](store::Connection& c) {
                   return store::kb_generation(c);
                 }));
  if (generation_ && *generation_ != generation) kb_.changed_here();
  generation_ = generation;
  return {};
}

}  // namespace gongdan::services
