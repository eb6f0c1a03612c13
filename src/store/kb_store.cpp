#include "store/kb_store.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "store/column_table.hpp"
#include "store/select_by_ids.hpp"

namespace gongdan::store {
namespace {

// Views are added kViewsPerStatement translations a statement, the last one filled up with id
// 0, which names no translation: one statement text, and on PostgreSQL 16 round trips on the
// writer for a thousand translations instead of a thousand.
constexpr int kViewsPerStatement = 64;

const std::string& add_views_sql() {
  static const std::string sql = [] {
    std::string s = "UPDATE kb_translations SET views = views + v.n FROM (";
    for (int i = 0; i < kViewsPerStatement; ++i)
      s += i == 0 ? "SELECT CAST(? AS BIGINT) AS id, CAST(? AS BIGINT) AS n"
                  : " UNION ALL SELECT CAST(? AS BIGINT), CAST(? AS BIGINT)";
    return s + ") AS v WHERE kb_translations.id = v.id";
  }();
  return sql;
}

const auto kState = by_name(parse_kb_state, kb_state_name, KbState::kDraft);

const ColumnTable kTranslations(
    "kb_translations t", column("id", &KbTranslation::id),
    column("article_id", &KbTranslation::article_id), column("lang", &KbTranslation::lang),
    column("title", &KbTranslation::title), column("body", &KbTranslation::body),
    column("body_html", &KbTranslation::body_html), column("body_text", &KbTranslation::body_text),
    column("state", &KbTranslation::state, kState), column("version", &KbTranslation::version),
    column("author_id", &KbTranslation::author_id),
    column("published_at", &KbTranslation::published_at),
    column("created_at", &KbTranslation::created_at),
    column("updated_at", &KbTranslation::updated_at), column("views", &KbTranslation::views),
    column("helpful", &KbTranslation::helpful), column("unhelpful", &KbTranslation::unhelpful),
    column("publish_at", &KbTranslation::publish_at),
    column("text_updated_at", &KbTranslation::text_updated_at));

const ColumnTable kVersions("kb_versions v", column("id", &KbVersion::id),
                            column("translation_id", &KbVersion::translation_id),
                            column("version", &KbVersion::version),
                            column("title", &KbVersion::title), column("body", &KbVersion::body),
                            column("state", &KbVersion::state, kState),
                            column("author_id", &KbVersion::author_id),
                            column("created_at", &KbVersion::created_at));

// Versions with, after their columns, the name of their author (empty: removed since).
std::string select_versions(std::string_view rest) {
  return "SELECT " + kVersions.list() +
         ", u.name FROM kb_versions v LEFT JOIN users u ON u.id = v.author_id " + std::string(rest);
}

KbVersion read_version(const Query& q) {
  KbVersion v = kVersions.read(q);
  v.author_name = q.optional_text(kVersions.kSize).value_or("");
  return v;
}

const ColumnTable kFiles("kb_files", column("id", &KbFile::id),
                         column("article_id", &KbFile::article_id),
                         column("sha256", &KbFile::sha256), column("filename", &KbFile::filename),
                         column("content_type", &KbFile::content_type),
                         column("size", &KbFile::size), column("uploaded_by", &KbFile::uploaded_by),
                         column("created_at", &KbFile::created_at));

std::vector<std::string> read_tags(const std::string& json) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (!ec && v.is_array())
    for (const auto& s : v.get_array())
      if (s.is_string()) out.emplace_back(s.get_string());
  return out;
}

// A published translation with its article's section, visibility and tags (kb_articles a),
// selected as kPublishedColumns and read by read_published.
const std::string kPublishedColumns = "a.section_id, a.visibility, a.tags, " + kTranslations.list();
constexpr int kPublishedColumnCount = 3 + kTranslations.kSize;

KbPublished read_published(const Query& r) {
  KbPublished p;
  p.section_id = r.integer(0);
  p.visibility = parse_kb_visibility(r.text(1)).value_or(KbVisibility::kAgents);
  p.tags = read_tags(r.text(2));
  p.translation = kTranslations.read(r, 3);
  p.article_id = p.translation.article_id;
  return p;
}

// " AND a.visibility IN (?, ?)" for the visibilities given (at least one: none reads nothing).
std::string visibility_clause(const std::vector<std::string_view>& visibilities) {
  return " AND a.visibility IN (" +
         (visibilities.empty() ? std::string("NULL") : question_marks(visibilities.size())) + ")";
}

void bind_visibilities(Query& q, int first, const std::vector<std::string_view>& visibilities) {
  for (std::size_t i = 0; i < visibilities.size(); ++i)
    q.statement().bind_text(first + static_cast<int>(i), visibilities[i]);
}

// " AND (…)" keeping agents-only articles to global categories and those of `departments` (an
// agent scoped to departments: issue 18); nothing when not scoped.
std::string department_clause(const KbDepartmentScope& departments) {
  if (!departments) return {};
  std::string out =
      " AND (a.visibility <> 'agents' OR a.section_id IN (SELECT s.id FROM kb_sections s JOIN "
      "kb_categories c ON c.id = s.category_id WHERE c.department_id IS NULL";
  if (!departments->empty())
    out += " OR c.department_id IN (" + question_marks(departments->size()) + ")";
  return out + "))";
}

// Binds the department clause's parameters from `first`; returns the index after them.
int bind_departments(Query& q, int first, const KbDepartmentScope& departments) {
  if (!departments) return first;
  for (auto id : *departments) q.bind_from(first++, id);
  return first;
}

bool visible(std::string_view visibility, const std::vector<std::string_view>& visibilities) {
  for (auto v : visibilities)
    if (v == visibility) return true;
  return false;
}

}  // namespace

Result<std::optional<KbTranslation>> find_kb_translation(Connection& c, std::int64_t article_id,
                                                         std::string_view lang) {
  static const std::string sql = kTranslations.select("WHERE t.article_id = ? AND t.lang = ?");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(article_id, lang), kTranslations);
}

Result<std::vector<KbTranslation>> kb_translations_of(Connection& c, std::int64_t article_id) {
  static const std::string sql = kTranslations.select("WHERE t.article_id = ? ORDER BY t.id");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_rows(q.bind(article_id), kTranslations);
}

Result<std::int64_t> save_kb_translation(Connection& c, const KbTranslation& t) {
  const auto state = kb_state_name(t.state);
  if (t.id == 0) {
    GONGDAN_ASSIGN(auto q, query(c,
                                 "INSERT INTO kb_translations (article_id, lang, title, body, "
                                 "body_html, body_text, state, version, author_id, published_at, "
                                 "created_at, updated_at, publish_at, text_updated_at) VALUES (?, "
                                 "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    q.bind(t.article_id, t.lang, t.title, t.body, t.body_html, t.body_text, state, t.version,
           t.author_id, t.published_at, t.created_at, t.updated_at, t.publish_at,
           t.text_updated_at);
    return inserted_id(q, "translation");
  }
  GONGDAN_TRY(run(c,
                  "UPDATE kb_translations SET title = ?, body = ?, body_html = ?, body_text = ?, "
                  "state = ?, version = ?, author_id = ?, published_at = ?, updated_at = ?, "
                  "publish_at = ?, text_updated_at = ? WHERE id = ?",
                  t.title, t.body, t.body_html, t.body_text, state, t.version, t.author_id,
                  t.published_at, t.updated_at, t.publish_at, t.text_updated_at, t.id));
  return t.id;
}

Result<void> insert_kb_version(Connection& c, const KbVersion& v) {
  return run(c,
             "INSERT INTO kb_versions (translation_id, version, title, body, state, author_id, "
             "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
             v.translation_id, v.version, v.title, v.body, kb_state_name(v.state), v.author_id,
             v.created_at);
}

Result<std::vector<KbVersion>> kb_versions_of(Connection& c, std::int64_t translation_id) {
  static const std::string sql =
      select_versions("WHERE v.translation_id = ? ORDER BY v.version DESC");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_rows(q.bind(translation_id), read_version);
}

Result<std::optional<KbVersion>> find_kb_version(Connection& c, std::int64_t translation_id,
                                                 std::int64_t version) {
  static const std::string sql = select_versions("WHERE v.translation_id = ? AND v.version = ?");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(translation_id, version), read_version);
}

Result<void> set_kb_article_summary(Connection& c, std::int64_t article_id, std::string_view title,
                                    std::string_view translations_json, Millis now) {
  return run(c, "UPDATE kb_articles SET title = ?, translations = ?, updated_at = ? WHERE id = ?",
             title, translations_json, now, article_id);
}

Result<std::optional<KbPublished>> find_kb_published(
    Connection& c, std::int64_t article_id, std::string_view lang,
    const std::vector<std::string_view>& visibilities) {
  const std::string sql = "SELECT " + kPublishedColumns +
                          " FROM kb_translations t JOIN kb_articles a ON a.id = t.article_id "
                          "WHERE t.article_id = ? AND t.lang = ? AND t.state = 'published'" +
                          visibility_clause(visibilities);
  GONGDAN_ASSIGN(auto q, query(c, sql));
  q.bind(article_id, lang);
  bind_visibilities(q, 3, visibilities);
  return read_first(q, read_published);
}

Result<std::vector<KbPublished>> list_kb_published(
    Connection& c, std::int64_t section_id, std::string_view lang,
    const std::vector<std::string_view>& visibilities, int limit,
    const KbDepartmentScope& departments) {
  std::string sql =
      // CROSS JOIN: SQLite walks the section's articles first (its index, in order) and looks
      // each one's translation up, instead of every published translation of the language.
      "SELECT a.id, a.section_id, a.visibility, t.id, t.title, t.updated_at, t.published_at "
      "FROM kb_articles a CROSS JOIN kb_translations t "
      "WHERE t.article_id = a.id AND t.lang = ? AND t.state = 'published'" +
      visibility_clause(visibilities) + department_clause(departments);
  sql += section_id ? " AND a.section_id = ? ORDER BY a.position, a.id LIMIT ?"
                    : " AND ? = 0 ORDER BY t.published_at DESC, t.id DESC LIMIT ?";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  q.bind(lang);
  bind_visibilities(q, 2, visibilities);
  const int next = bind_departments(q, 2 + static_cast<int>(visibilities.size()), departments);
  q.bind_from(next, section_id, limit);
  return read_rows(q, [](const Query& r) {
    KbPublished p;
    p.article_id = r.integer(0);
    p.section_id = r.integer(1);
    p.visibility = parse_kb_visibility(r.text(2)).value_or(KbVisibility::kAgents);
    p.translation.id = r.integer(3);
    p.translation.article_id = p.article_id;
    p.translation.title = r.text(4);
    p.translation.updated_at = r.integer(5);
    p.translation.published_at = r.optional_integer(6);
    p.translation.state = KbState::kPublished;
    return p;
  });
}

Result<std::vector<std::string>> kb_published_languages(Connection& c, std::int64_t article_id) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT lang FROM kb_translations WHERE article_id = ? AND state "
                               "= 'published'"));
  GONGDAN_ASSIGN(auto found,
                 read_rows(q.bind(article_id), [](const Query& r) { return r.text(0); }));
  std::vector<std::string> out;
  for (auto lang : kb_languages())
    for (const auto& f : found)
      if (f == lang) out.emplace_back(lang);
  return out;
}

Result<std::vector<KbPublished>> kb_published_by_ids(
    Connection& c, const std::vector<std::int64_t>& translation_ids,
    const std::vector<std::string_view>& visibilities) {
  std::vector<KbPublished> out;
  static const std::string head =
      "SELECT " + kPublishedColumns +
      ", c.department_id FROM kb_translations t JOIN kb_articles a ON a.id = t.article_id "
      "JOIN kb_sections s ON s.id = a.section_id JOIN kb_categories c ON c.id = s.category_id "
      "WHERE t.id";
  GONGDAN_TRY(select_by_ids(c, head, translation_ids, [&](const Query& r) {
    KbPublished p = read_published(r);
    p.department_id = r.optional_integer(kPublishedColumnCount);
    if (p.translation.state == KbState::kPublished && visible(r.text(1), visibilities))
      out.push_back(std::move(p));
  }));
  return out;
}

Result<bool> kb_internal_elsewhere(Connection& c, std::int64_t article_id,
                                   const std::vector<std::int64_t>& departments) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT c.department_id FROM kb_articles a JOIN kb_sections s ON "
                               "s.id = a.section_id JOIN kb_categories c ON c.id = s.category_id "
                               "WHERE a.id = ? AND a.visibility = 'agents'"));
  GONGDAN_ASSIGN(bool row, q.bind(article_id).next());
  if (!row) return false;
  const auto department = q.optional_integer(0);
  return department && std::ranges::find(departments, *department) == departments.end();
}

Result<std::map<std::int64_t, std::int64_t>> kb_published_counts(
    Connection& c, std::string_view lang, const std::vector<std::string_view>& visibilities,
    const KbDepartmentScope& departments) {
  const std::string sql =
      "SELECT a.section_id, COUNT(*) FROM kb_articles a JOIN kb_translations t ON t.article_id = "
      "a.id WHERE t.lang = ? AND t.state = 'published'" +
      visibility_clause(visibilities) + department_clause(departments) + " GROUP BY a.section_id";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  q.bind(lang);
  bind_visibilities(q, 2, visibilities);
  bind_departments(q, 2 + static_cast<int>(visibilities.size()), departments);
  GONGDAN_ASSIGN(auto rows, read_rows(q, [](const Query& r) {
                   return std::pair{r.integer(0), r.integer(1)};
                 }));
  return std::map<std::int64_t, std::int64_t>(rows.begin(), rows.end());
}

Result<std::vector<KbSitemapEntry>> kb_sitemap_entries(Connection& c, int limit) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT t.article_id, t.lang, t.updated_at FROM kb_translations t "
                               "JOIN kb_articles a ON a.id = t.article_id WHERE t.state = "
                               "'published' AND a.visibility = 'public' ORDER BY t.article_id, "
                               "t.lang LIMIT ?"));
  return read_rows(q.bind(limit), [](const Query& r) {
    return KbSitemapEntry{r.integer(0), r.text(1), r.integer(2)};
  });
}

Result<void> each_kb_published(Connection& c,
                               const std::function<Result<void>(const KbTranslation&)>& fn) {
  static const std::string sql = kTranslations.select("WHERE t.state = 'published' ORDER BY t.id");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  GONGDAN_ASSIGN(auto rows, read_rows(q, kTranslations));
  for (const auto& t : rows) GONGDAN_TRY(fn(t));
  return {};
}

Result<std::int64_t> insert_kb_file(Connection& c, const KbFile& f) {
  return kFiles.insert(c, f, "kb file");
}

Result<std::vector<KbFile>> kb_files_of(Connection& c, std::int64_t article_id) {
  static const std::string sql = kFiles.select("WHERE article_id = ? ORDER BY id");
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_rows(q.bind(article_id), kFiles);
}

Result<std::optional<KbFile>> find_kb_file(Connection& c, std::int64_t file_id) {
  return kFiles.find(c, file_id);
}

Result<bool> delete_kb_file(Connection& c, std::int64_t article_id, std::int64_t file_id) {
  GONGDAN_TRY(run(c, "DELETE FROM kb_files WHERE id = ? AND article_id = ?", file_id, article_id));
  return c.changes() > 0;
}

Result<bool> kb_article_published(Connection& c, std::int64_t article_id) {
  GONGDAN_ASSIGN(auto n, select_count(c,
                                      "SELECT COUNT(*) FROM kb_translations WHERE article_id = ? "
                                      "AND state = 'published'",
                                      article_id));
  return n > 0;
}

Result<void> bump_kb_generation(Connection& c) {
  return run(c, "UPDATE kb_generation SET value = value + 1 WHERE id = 1");
}

Result<std::int64_t> kb_generation(Connection& c) {
  return select_count(c, "SELECT value FROM kb_generation WHERE id = 1");
}

Result<void> add_kb_views(Connection& c, const std::map<std::int64_t, std::int64_t>& views) {
  auto it = views.begin();
  while (it != views.end()) {
    GONGDAN_ASSIGN(auto q, query(c, add_views_sql()));
    for (int i = 0; i < kViewsPerStatement; ++i) {
      const bool real = it != views.end();
      q.bind_from(2 * i + 1, real ? it->first : std::int64_t{0},
                  real ? it->second : std::int64_t{0});
      if (real) ++it;
    }
    GONGDAN_TRY(q.run());
  }
  return {};
}

Result<bool> add_kb_vote(Connection& c, std::int64_t translation_id, bool helpful) {
  GONGDAN_ASSIGN(auto q, query(c, helpful ? "UPDATE kb_translations SET helpful = helpful + 1 "
                                            "WHERE id = ? AND state = 'published'"
                                          : "UPDATE kb_translations SET unhelpful = unhelpful + 1 "
                                            "WHERE id = ? AND state = 'published'"));
  GONGDAN_TRY(q.bind(translation_id).run());
  return c.changes() > 0;
}

Result<void> insert_kb_deflection(Connection& c, std::int64_t article_id, std::string_view lang,
                                  std::optional<std::int64_t> user_id, std::string_view query_text,
                                  Millis at) {
  return run(c,
             "INSERT INTO kb_deflections (article_id, lang, user_id, query, created_at) VALUES "
             "(?, ?, ?, ?, ?)",
             article_id, lang, user_id, query_text, at);
}

Result<std::int64_t> count_kb_deflections(Connection& c, Millis since) {
  return select_count(c, "SELECT COUNT(*) FROM kb_deflections WHERE created_at >= ?", since);
}

Result<std::array<std::int64_t, 3>> kb_counter_totals(Connection& c) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT COALESCE(SUM(views), 0), COALESCE(SUM(helpful), 0), "
                               "COALESCE(SUM(unhelpful), 0) FROM kb_translations"));
  std::array<std::int64_t, 3> out{};
  GONGDAN_ASSIGN(bool row, q.next());
  if (row)
    for (int i = 0; i < 3; ++i) out[static_cast<std::size_t>(i)] = q.integer(i);
  return out;
}

}  // namespace gongdan::store
