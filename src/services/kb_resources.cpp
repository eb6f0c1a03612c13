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

FieldSpec zh_name_field() {
  return {.key = "name_zh", .label = {"Chinese name", "中文名称"}, .max = 200};
}
FieldSpec description_field(std::string_view key, Words label) {
  return {.key = key, .kind = FieldKind::kLongText, .label = label, .max = 2000};
}

}  // namespace

const Resource<KbCategory>& kb_category_resource() {
  static const Resource<KbCategory> r = declare<KbCategory>(
      {.name = "kb_categories",
       .noun = "kb_category",
       .title = {"Help centre categories", "帮助中心分类"},
       .path = "/api/v1/kb/categories",
       .tag = "knowledge base",
       .order_by = "position, id",
       .read = Audience::kSignedIn,
       .write = Audience::kWritingAgents,
       .ops = {.remove = true}},
      {field_of(&KbCategory::id, id_field()), field_of(&KbCategory::name, name_field()),
       field_of(&KbCategory::name_zh, zh_name_field()),
       field_of(&KbCategory::description,
                description_field("description", {"Description", "说明"})),
       field_of(&KbCategory::description_zh,
                description_field("description_zh", {"Chinese description", "中文说明"})),
       field_of(&KbCategory::position, position_field()),
       field_of(&KbCategory::department_id,
                department_field({"None: the whole company's.", "不选：全公司通用。"})),
       field_of(&KbCategory::created_at, time_field("created_at")),
       field_of(&KbCategory::updated_at, time_field("updated_at"))});
  return r;
}

const Resource<KbSection>& kb_section_resource() {
  static const Resource<KbSection> r = declare<KbSection>(
      {.name = "kb_sections",
       .noun = "kb_section",
       .title = {"Help centre sections", "帮助中心栏目"},
       .path = "/api/v1/kb/sections",
       .tag = "knowledge base",
       .order_by = "position, id",
       .read = Audience::kSignedIn,
       .write = Audience::kWritingAgents,
       .ops = {.remove = true}},
      {field_of(&KbSection::id, id_field()),
       field_of(&KbSection::category_id, {.key = "category",
                                          .kind = FieldKind::kReference,
                                          .label = {"Category", "分类"},
                                          .column = "category_id",
                                          .required = true,
                                          .references = "kb_categories"}),
       field_of(&KbSection::name, name_field()), field_of(&KbSection::name_zh, zh_name_field()),
       field_of(&KbSection::description, description_field("description", {"Description", "说明"})),
       field_of(&KbSection::description_zh,
                description_field("description_zh", {"Chinese description", "中文说明"})),
       field_of(&KbSection::position, position_field()),
       field_of(&KbSection::created_at, time_field("created_at")),
       field_of(&KbSection::updated_at, time_field("updated_at"))});
  return r;
}

const Resource<KbArticle>& kb_article_resource() {
  static const Resource<KbArticle> r = declare<KbArticle>(
      {.name = "kb_articles",
       .noun = "kb_article",
       .title = {"Articles", "文章"},
       .path = "/api/v1/kb/articles",
       .tag = "knowledge base",
       .order_by = "id",
       .read = Audience::kAgents,
       .write = Audience::kWritingAgents,
       .ops = {.remove = true},
       .paged = true},
      {field_of(&KbArticle::id, id_field()),
       field_of(&KbArticle::section_id, {.key = "section",
                                         .kind = FieldKind::kReference,
                                         .label = {"Section", "栏目"},
                                         .column = "section_id",
                                         .required = true,
                                         .references = "kb_sections"}),
       field_of(&KbArticle::visibility,
                {.key = "visibility",
                 .label = {"Visibility", "可见范围"},
                 .help = {"public: anyone; customers: signed-in people; agents: the team only.",
                          "public：所有人；customers：已登录的人；agents：仅客服团队。"},
                 .choices = {"public", "customers", "agents"}},
                kb_visibility_name, parse_kb_visibility),
       field_of(&KbArticle::tags, {.key = "tags", .label = {"Tags", "标签"}}),
       field_of(&KbArticle::position, position_field()),
       field_of(&KbArticle::title,
                {.key = "title",
                 .label = {"Title", "标题"},
                 .help = {"The first translation's title (set by its translations).",
                          "首个译文的标题（由译文设定）。"},
                 .read_only = true,
                 .max = 300}),
       field_of(
           &KbArticle::translations,
           {.key = "translations",
            .label = {"Translations", "译文"},
            .help = {"Each language's state, version and title.", "各语言的状态、版本和标题。"},
            .read_only = true,
            .schema = R"({"type": "array", "items": {"type": "object"}})"}),
       field_of(&KbArticle::created_at, time_field("created_at")),
       field_of(&KbArticle::updated_at, time_field("updated_at"))});
  return r;
}

void KbService::add_to(Resources& resources) {
  Hooks<KbCategory> categories;
  categories.removing = [](store::Connection& c, const KbCategory& item) -> Result<void> {
    GONGDAN_ASSIGN(
        auto n,
        store::select_count(c, "SELECT COUNT(*) FROM kb_sections WHERE category_id = ?", item.id));
    if (n > 0)
      return fail(ErrorCode::kConflict, "the category still holds " + std::to_string(n) +
                                            " section(s): move or remove them first");
    return {};
  };
  resources.add(kb_category_resource(), std::move(categories));

  Hooks<KbSection> sections;
  sections.removing = [](store::Connection& c, const KbSection& item) -> Result<void> {
    GONGDAN_ASSIGN(
        auto n,
        store::select_count(c, "SELECT COUNT(*) FROM kb_articles WHERE section_id = ?", item.id));
    if (n > 0)
      return fail(ErrorCode::kConflict, "the section still holds " + std::to_string(n) +
                                            " article(s): move or remove them first");
    return {};
  };
  resources.add(kb_section_resource(), std::move(sections));

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
  resources.add(kb_article_resource(), std::move(articles));
}

}  // namespace gongdan::services
