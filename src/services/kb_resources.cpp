// The knowledge base's declared resources: categories, sections and articles (the shell of an
// article: where it is filed, who reads it, its tags; its words are its translations,
// kb_service.cpp). A category or section still holding sections or articles cannot be removed;
// removing an article removes its translations and their search rows.
#include "domain/search_text.hpp"
#include "services/kb_service.hpp"
#include "services/resource_service.hpp"
#include "store/database.hpp"
#include "store/kb_store.hpp"
#include "store/search_index.hpp"

namespace gongdan::services {
namespace {

// An article's translations as kb_translation_summary (domain/kb.cpp) writes them.
constexpr std::string_view kTranslationSummarySchema = R"({
  "type": "array",
  "items": {
    "type": "object",
    "properties": {
      "lang": {"type": "string", "enum": ["zh-CN", "en", "zh-TW", "ja", "ko", "fr", "de", "es"]},
      "state": {"type": "string", "enum": ["draft", "in_review", "published", "archived"]},
      "version": {"type": "integer"},
      "title": {"type": "string"},
      "updated_at_ms": {"type": "integer"},
      "text_updated_at_ms": {"type": "integer"},
      "outdated": {"type": "boolean", "description": "Its words last changed before the first translation's did."},
      "publish_at_ms": {"type": ["integer", "null"], "description": "Scheduled publication."}
    },
    "required": ["lang", "state", "version", "title", "updated_at_ms", "text_updated_at_ms",
                 "outdated", "publish_at_ms"]
  }
})";

// What a category and a section both hold, between `before` and `after`: names and
// descriptions in both languages and a place in their list; last, the times.
template <class T>
std::vector<Bound<T>> shelf_fields(std::vector<Bound<T>> before, std::vector<Bound<T>> after) {
  before.insert(
      before.end(),
      {field_of(&T::name, name_field()),
       field_of(&T::name_zh, text_field("name_zh", {"Chinese name", "中文名称"}).max(200)),
       field_of(&T::description, long_text_field("description", {"Description", "说明"}).max(2000)),
       field_of(&T::description_zh,
                long_text_field("description_zh", {"Chinese description", "中文说明"}).max(2000)),
       field_of(&T::position, position_field())});
  before.insert(before.end(), after.begin(), after.end());
  before.push_back(field_of(&T::created_at, time_field("created_at")));
  before.push_back(field_of(&T::updated_at, time_field("updated_at")));
  return before;
}

// A help-centre resource at /api/v1/kb/<path>: agents who write change it, removing included.
InfoBuilder kb_info(std::string_view name, std::string_view noun, Words title, std::string path) {
  return resource_info(name, noun, title, "knowledge base")
      .path("/api/v1/kb/" + path)
      .written_by(Audience::kWritingAgents)
      .ops({.remove = true});
}

// The `written` hook of every resource the help centre shows: the change moves the generation
// in its own transaction.
template <class T>
Result<void> bump_generation(store::Connection& c, const T&, Change) {
  return store::bump_kb_generation(c);
}

// The hooks of a category or a section: removed only once empty (`count_sql` counts what it
// holds by its id), and every write makes the rendered pages stale (see KbService::add_to).
template <class T>
Hooks<T> shelf_hooks(std::string_view count_sql, std::string_view noun, std::string_view holds,
                     std::function<void()> changed) {
  Hooks<T> hooks;
  hooks.removing = [=](store::Connection& c, const T& item) -> Result<void> {
    GONGDAN_ASSIGN(auto n, store::select_count(c, count_sql, item.id));
    if (n > 0)
      return fail(ErrorCode::kConflict, "the " + std::string(noun) + " still holds " +
                                            std::to_string(n) + " " + std::string(holds) +
                                            "(s): move or remove them first");
    return {};
  };
  hooks.written = bump_generation<T>;
  hooks.after_write = std::move(changed);
  return hooks;
}

}  // namespace

const Resource<KbCategory>& kb_category_resource() {
  static const Resource<KbCategory> r = declare<KbCategory>(
      kb_info("kb_categories", "kb_category", {"Help centre categories", "帮助中心分类"},
              "categories")
          .order_by("position, id")
          .read_by(Audience::kSignedIn),
      shelf_fields<KbCategory>(
          {field_of(&KbCategory::id, id_field())},
          {field_of(
              &KbCategory::department_id,
              department_field(
                  {"None: the whole company's. A department: the desk offers its articles "
                   "(search, suggestions, article links) only to that department's agents, "
                   "and its agents-only articles are that department's internal "
                   "knowledge; the help centre still shows its public articles to all.",
                   "不选：全公司通用。选定部门：客服台只向该部门的客服提供其中的文章（搜索、"
                   "推荐、文章链接），其中仅客服可见的文章为该部门内部资料；帮助中心仍向所有人"
                   "展示其中的公开文章。"}))}));
  return r;
}

const Resource<KbSection>& kb_section_resource() {
  static const Resource<KbSection> r = declare<KbSection>(
      kb_info("kb_sections", "kb_section", {"Help centre sections", "帮助中心栏目"}, "sections")
          .order_by("position, id")
          .read_by(Audience::kSignedIn),
      shelf_fields<KbSection>(
          {field_of(&KbSection::id, id_field()),
           field_of(&KbSection::category_id,
                    reference_field("category", "kb_categories", {"Category", "分类"})
                        .column("category_id")
                        .required())},
          {}));
  return r;
}

const Resource<KbArticle>& kb_article_resource() {
  static const Resource<KbArticle> r = declare<KbArticle>(
      kb_info("kb_articles", "kb_article", {"Articles", "文章"}, "articles")
          .order_by("id")
          .read_by(Audience::kAgents)
          .paged(),
      {field_of(&KbArticle::id, id_field()),
       field_of(&KbArticle::section_id,
                reference_field("section", "kb_sections", {"Section", "栏目"})
                    .column("section_id")
                    .required()),
       field_of(
           &KbArticle::visibility,
           choice_field("visibility", {"Visibility", "可见范围"}, {"public", "customers", "agents"},
                        {"public: anyone; customers: signed-in people; agents: the team only.",
                         "public：所有人；customers：已登录的人；agents：仅客服团队。"}),
           kb_visibility_name, parse_kb_visibility),
       field_of(&KbArticle::tags, text_field("tags", {"Tags", "标签"})),
       field_of(&KbArticle::position, position_field()),
       field_of(&KbArticle::title, text_field("title", {"Title", "标题"},
                                              {"The first translation's title (set by its "
                                               "translations).",
                                               "首个译文的标题（由译文设定）。"})
                                       .read_only()
                                       .max(300)),
       field_of(&KbArticle::translations, json_field("translations", {"Translations", "译文"},
                                                     {"Each language's state, version and title.",
                                                      "各语言的状态、版本和标题。"})
                                              .read_only()
                                              .schema(kTranslationSummarySchema, "")),
       field_of(&KbArticle::created_at, time_field("created_at")),
       field_of(&KbArticle::updated_at, time_field("updated_at"))});
  return r;
}

void KbService::add_to(Resources& resources) {
  // Help centre pages name categories, sections and articles: any change (committed or not;
  // a needless one costs a page render) makes the rendered ones stale, here at once, on other
  // nodes by the notice or, failing that, the generation (check_generation).
  resources.add(kb_category_resource(),
                shelf_hooks<KbCategory>("SELECT COUNT(*) FROM kb_sections WHERE category_id = ?",
                                        "category", "section", [this] { changed(); }));
  resources.add(kb_section_resource(),
                shelf_hooks<KbSection>("SELECT COUNT(*) FROM kb_articles WHERE section_id = ?",
                                       "section", "article", [this] { changed(); }));

  Hooks<KbArticle> articles;
  // A new article has no words yet: its summary starts empty whatever a body says.
  articles.check = [](store::Connection&, const Principal&, KbArticle& item,
                      const KbArticle* before) -> Result<void> {
    if (!before) {
      item.title.clear();
      item.translations = boost::json::array{};
    }
    return {};
  };
  articles.removing = [&db = db_](store::Connection& c, const KbArticle& item) -> Result<void> {
    GONGDAN_ASSIGN(auto translations, store::kb_translations_of(c, item.id));
    for (const auto& t : translations)
      if (t.state == KbState::kPublished)
        GONGDAN_TRY(db.search_index().unindex_article(c, t.id, t.lang, search::index_text(t.title),
                                                      search::index_text(t.body_text)));
    return {};
  };
  articles.written = bump_generation<KbArticle>;
  articles.after_write = [this] { changed(); };
  resources.add(kb_article_resource(), std::move(articles));
  add_help_setting(resources);
}

}  // namespace gongdan::services
