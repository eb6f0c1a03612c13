#include "store/kb_store.hpp"

#include <algorithm>

#include <boost/json.hpp>

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

constexpr std::string_view kTranslationColumns =
    "t.id, t.article_id, t.lang, t.title, t.body, t.body_html, t.body_text, t.state, t.version, "
    "t.author_id, t.published_at, t.created_at, t.updated_at, t.views, t.helpful, t.unhelpful, "
    "t.publish_at, t.text_updated_at";

KbTranslation read_translation(const Query& q, int first = 0) {
  KbTranslation t;
  t.id = q.integer(first);
  t.article_id = q.integer(first + 1);
  t.lang = q.text(first + 2);
  t.title = q.text(first + 3);
  t.body = q.text(first + 4);
  t.body_html = q.text(first + 5);
  t.body_text = q.text(first + 6);
  t.state = parse_kb_state(q.text(first + 7)).value_or(KbState::kDraft);
  t.version = q.integer(first + 8);
  t.author_id = q.optional_integer(first + 9);
  t.published_at = q.optional_integer(first + 10);
  t.created_at = q.integer(first + 11);
  t.updated_at = q.integer(first + 12);
  t.views = q.integer(first + 13);
  t.helpful = q.integer(first + 14);
  t.unhelpful = q.integer(first + 15);
  t.publish_at = q.optional_integer(first + 16);
  t.text_updated_at = q.integer(first + 17);
  return t;
}

KbVersion read_version(const Query& q) {
  KbVersion v;
  v.id = q.integer(0);
  v.translation_id = q.integer(1);
  v.version = q.integer(2);
  v.title = q.text(3);
  v.body = q.text(4);
  v.state = parse_kb_state(q.text(5)).value_or(KbState::kDraft);
  v.author_id = q.optional_integer(6);
  v.created_at = q.integer(7);
  v.author_name = q.is_null(8) ? std::string() : q.text(8);
  return v;
}

std::vector<std::string> read_tags(const std::string& json) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (!ec && v.is_array())
    for (const auto& s : v.get_array())
      if (s.is_string()) out.emplace_back(s.get_string());
  return out;
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
  static const std::string sql = "SELECT " + std::string(kTranslationColumns) +
                                 " FROM kb_translations t WHERE t.article_id = ? AND t.lang = ?";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(article_id, lang), [](const Query& r) { return read_translation(r); });
}

Result<std::vector<KbTranslation>> kb_translations_of(Connection& c, std::int64_t article_id) {
  static const std::string sql = "SELECT " + std::string(kTranslationColumns) +
                                 " FROM kb_translations t WHERE t.article_id = ? ORDER BY t.id";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_rows(q.bind(article_id), [](const Query& r) { return read_translation(r); });
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
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT v.id, v.translation_id, v.version, v.title, v.body, "
                               "v.state, v.author_id, v.created_at, u.name FROM kb_versions v "
                               "LEFT JOIN users u ON u.id = v.author_id WHERE v.translation_id = "
                               "? ORDER BY v.version DESC"));
  return read_rows(q.bind(translation_id), read_version);
}

Result<std::optional<KbVersion>> find_kb_version(Connection& c, std::int64_t translation_id,
                                                 std::int64_t version) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT v.id, v.translation_id, v.version, v.title, v.body, "
                               "v.state, v.author_id, v.created_at, u.name FROM kb_versions v "
                               "LEFT JOIN users u ON u.id = v.author_id WHERE v.translation_id = "
                               "? AND v.version = ?"));
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
  const std::string sql = "SELECT a.section_id, a.visibility, a.tags, " +
                          std::string(kTranslationColumns) +
                          " FROM kb_translations t JOIN kb_articles a ON a.id = t.article_id "
                          "WHERE t.article_id = ? AND t.lang = ? AND t.state = 'published'" +
                          visibility_clause(visibilities);
  GONGDAN_ASSIGN(auto q, query(c, sql));
  q.bind(article_id, lang);
  bind_visibilities(q, 3, visibilities);
  return read_first(q, [](const Query& r) {
    KbPublished p;
    p.section_id = r.integer(0);
    p.visibility = parse_kb_visibility(r.text(1)).value_or(KbVisibility::kAgents);
    p.tags = read_tags(r.text(2));
    p.translation = read_translation(r, 3);
    p.article_id = p.translation.article_id;
    return p;
  });
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
      "SELECT a.section_id, a.visibility, a.tags, " + std::string(kTranslationColumns) +
      ", c.department_id FROM kb_translations t JOIN kb_articles a ON a.id = t.article_id "
      "JOIN kb_sections s ON s.id = a.section_id JOIN kb_categories c ON c.id = s.category_id "
      "WHERE t.id";
  constexpr int kDepartment = 3 + 18;  // after the article's three and the translation's
  GONGDAN_TRY(select_by_ids(c, head, translation_ids, [&](const Query& r) {
    KbPublished p;
    p.section_id = r.integer(0);
    const auto visibility = r.text(1);
    p.visibility = parse_kb_visibility(visibility).value_or(KbVisibility::kAgents);
    p.tags = read_tags(r.text(2));
    p.translation = read_translation(r, 3);
    p.article_id = p.translation.article_id;
    p.department_id = r.optional_integer(kDepartment);
    if (p.translation.state == KbState::kPublished && visible(visibility, visibilities))
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
  static const std::string sql =
      "SELECT " + std::string(kTranslationColumns) +
      " FROM kb_translations t WHERE t.state = 'published' ORDER BY t.id";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  GONGDAN_ASSIGN(auto rows, read_rows(q, [](const Query& r) { return read_translation(r); }));
  for (const auto& t : rows) GONGDAN_TRY(fn(t));
  return {};
}

namespace {

constexpr std::string_view kFileColumns =
    "id, article_id, sha256, filename, content_type, size, uploaded_by, created_at";

KbFile read_file(const Query& q) {
  KbFile f;
  f.id = q.integer(0);
  f.article_id = q.integer(1);
  f.sha256 = q.text(2);
  f.filename = q.text(3);
  f.content_type = q.text(4);
  f.size = q.integer(5);
  f.uploaded_by = q.optional_integer(6);
  f.created_at = q.integer(7);
  return f;
}

}  // namespace

Result<std::int64_t> insert_kb_file(Connection& c, const KbFile& f) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO kb_files (article_id, sha256, filename, content_type, "
                               "size, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                               "RETURNING id"));
  q.bind(f.article_id, f.sha256, f.filename, f.content_type, f.size, f.uploaded_by, f.created_at);
  return inserted_id(q, "kb file");
}

Result<std::vector<KbFile>> kb_files_of(Connection& c, std::int64_t article_id) {
  static const std::string sql =
      "SELECT " + std::string(kFileColumns) + " FROM kb_files WHERE article_id = ? ORDER BY id";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_rows(q.bind(article_id), read_file);
}

Result<std::optional<KbFile>> find_kb_file(Connection& c, std::int64_t file_id) {
  static const std::string sql =
      "SELECT " + std::string(kFileColumns) + " FROM kb_files WHERE id = ?";
  GONGDAN_ASSIGN(auto q, query(c, sql));
  return read_first(q.bind(file_id), read_file);
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
