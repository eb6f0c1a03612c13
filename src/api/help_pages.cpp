// The help centre, /help/{lang}/…: server-rendered pages (help_html.cpp) of the published
// translations the reader may see: anonymous readers public articles, signed-in customers also
// those for customers, agents everything published. /help picks the reader's language (their
// account's, else Accept-Language); a language spelled another way (/help/zh) is redirected to
// its canonical path. Votes are a plain form POST, so no JavaScript is needed anywhere.
#include <algorithm>

#include "api/context.hpp"
#include "api/download.hpp"
#include "api/help_cache.hpp"
#include "api/help_html.hpp"
#include "api/json.hpp"
#include "api/redirect.hpp"
#include "api/router.hpp"
#include "util/text.hpp"

namespace gongdan::api {
namespace {

// Rendered pages kept in memory (HelpPageCache): 20,000 article pages of a few KiB each fit.
constexpr std::size_t kHelpCacheBytes = 256u << 20;

// Pages change when an article does; a short private cache keeps a reader's back button fast.
constexpr std::string_view kHelpCsp =
    "default-src 'none'; img-src 'self' https: http: data:; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

Response html(unsigned status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = "text/html; charset=utf-8";
  r.set_header("Content-Security-Policy", std::string(kHelpCsp));
  r.set_header("Cache-Control", "private, max-age=60");
  r.set_header("X-Content-Type-Options", "nosniff");
  return r;
}

// Config public_url without its trailing slash; empty when unset, and links are then
// root-relative: an address is never built from the Host header, which a client chooses.
std::string base_url(const ApiContext& ctx, const Request&) {
  std::string base = ctx.public_url;
  while (base.ends_with('/')) base.pop_back();
  return base;
}

KbReader reader_of(const Request& r) {
  return services::kb_reader(r.principal ? &r.who() : nullptr);
}

// The help centre's setting; its defaults (zh-CN and en, no logo) when it cannot be read.
std::shared_ptr<const HelpSetting> site(const ApiContext& ctx) {
  if (auto s = ctx.kb->help_setting()) return *s;
  static const auto defaults = std::make_shared<const HelpSetting>();
  return defaults;
}

help::Frame frame_of(const ApiContext& ctx, const Request& r, std::string lang, std::string rest) {
  const auto setting = site(ctx);
  help::Frame f;
  f.lang = std::move(lang);
  f.company = setting->company_name.empty() ? ctx.company_name : setting->company_name;
  f.logo_url = setting->logo_url;
  f.colour = setting->colour;
  f.languages = setting->languages;
  f.path = "/help/" + f.lang + rest;
  f.canonical = base_url(ctx, r) + f.path;
  f.alternate_path = base_url(ctx, r) + "/help/{lang}" + rest;
  f.alternates = setting->languages;
  return f;
}

bool offered(const ApiContext& ctx, std::string_view lang) {
  const auto setting = site(ctx);
  return std::find(setting->languages.begin(), setting->languages.end(), lang) !=
         setting->languages.end();
}

// The page's language from the path; a redirect when it is spelled another way, a 404 when it
// is none the help centre offers.
std::optional<Response> refuse_language(const ApiContext& ctx, const Request& r) {
  const auto given = r.param("lang");
  auto lang = parse_kb_language(given);
  if (!lang || !offered(ctx, *lang)) {
    auto f = frame_of(ctx, r, site(ctx)->languages.front(), "");
    return html(404, help::not_found_page(f));
  }
  if (*lang == given) return std::nullopt;
  std::string path = r.path;
  path.replace(std::string_view("/help/").size(), given.size(), *lang);
  return redirect(301, path);
}

Response not_found(const ApiContext& ctx, const Request& r) {
  return html(404, help::not_found_page(frame_of(ctx, r, std::string(r.param("lang")), "")));
}

Response failed(const ApiContext& ctx, const Request& r, const Error& e) {
  if (e.code == ErrorCode::kNotFound) return not_found(ctx, r);
  return error_response(e);
}

std::optional<std::int64_t> id_param(const Request& r) {
  auto id = text::parse_integer<std::int64_t>(r.param("id"));
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

// The departments an agent is scoped to (services::kb_departments); none for everyone else.
Result<services::KbDepartments> departments_of(const ApiContext& ctx, const Request& r) {
  if (!r.principal || !r.who().is_agent()) return services::KbDepartments{};
  GONGDAN_ASSIGN(auto viewer, ctx.directory.viewer(r.who()));
  return services::kb_departments(viewer);
}

// A 404 for an agent asking for another department's agents-only article.
std::optional<Response> internal_elsewhere(const ApiContext& ctx, services::KbService& kb,
                                           const Request& r,
                                           const services::KbDepartments& departments) {
  if (!departments) return std::nullopt;
  const auto id = id_param(r);
  if (!id) return std::nullopt;  // the page refuses it itself
  auto hidden = kb.internal_elsewhere(*id, departments);
  if (!hidden) return failed(ctx, r, hidden.error());
  if (*hidden) return not_found(ctx, r);
  return std::nullopt;
}

// A page from the cache, or render(translation_id)'s, kept when it is a 200. The key is what
// the page depends on: the reader's kind (visibility), an agent's departments (which of other
// departments' agents-only articles the lists leave out), the path and the vote's thanks.
template <class Render>
Response from_cache(HelpPageCache& cache, services::KbService& kb, const Request& r,
                    const services::KbDepartments& departments, Render&& render) {
  std::string key(1, static_cast<char>('0' + static_cast<int>(reader_of(r))));
  if (departments) {
    key += 'd';
    for (auto id : *departments) key += std::to_string(id) + ',';
  }
  key += r.path;
  if (r.query_value("voted")) key += "?voted";
  if (auto hit = cache.find(key)) {
    if (hit->translation_id) kb.count_view(hit->translation_id);
    return html(200, hit->body);
  }
  const auto seen = cache.seen();
  std::int64_t translation_id = 0;
  Response out = render(translation_id);
  if (out.status == 200) cache.keep(key, seen, {out.body, translation_id});
  return out;
}

RouteDoc page_doc(std::string id, std::string what) {
  using namespace schema;
  return doc(std::move(id))
      .describe(std::move(what))
      .returns(200, string(), "The page.", "text/html")
      .returns_nothing(301, "The language spelled another way (/help/zh): to its canonical path.")
      .returns(404, string(), "No such page, or none the reader may see.", "text/html");
}

// The answer instead of a page about one thing (a category, section or article) when the
// language is refused or the id is none; else `id` is set.
std::optional<Response> refuse_page(const ApiContext& ctx, const Request& r, std::int64_t& id) {
  if (auto refused = refuse_language(ctx, r)) return refused;
  auto given = id_param(r);
  if (!given) return not_found(ctx, r);
  id = *given;
  return std::nullopt;
}

Response category_page(const ApiContext& ctx, services::KbService& kb, Request& r,
                       const services::KbDepartments& departments) {
  std::int64_t id = 0;
  if (auto refused = refuse_page(ctx, r, id)) return std::move(*refused);
  const std::string lang(r.param("lang"));
  auto structure = kb.structure(reader_of(r), lang, departments);
  if (!structure) return failed(ctx, r, structure.error());
  for (const auto& c : *structure) {
    if (c.category.id != id) continue;
    std::vector<std::pair<KbSection, std::vector<services::KbEntry>>> sections;
    for (const auto& s : c.sections) {
      auto articles = kb.section_articles(reader_of(r), s.section.id, lang, 100, departments);
      if (!articles) return failed(ctx, r, articles.error());
      sections.emplace_back(s.section, std::move(*articles));
    }
    auto f = frame_of(ctx, r, lang, "/categories/" + std::to_string(id));
    return html(200, help::category_page(f, c.category, sections));
  }
  return not_found(ctx, r);
}

Response section_page(const ApiContext& ctx, services::KbService& kb, Request& r,
                      const services::KbDepartments& departments) {
  std::int64_t id = 0;
  if (auto refused = refuse_page(ctx, r, id)) return std::move(*refused);
  const std::string lang(r.param("lang"));
  auto section = kb.section(id);
  if (!section) return failed(ctx, r, section.error());
  if (!*section) return not_found(ctx, r);
  auto category = kb.category((*section)->category_id);
  if (!category) return failed(ctx, r, category.error());
  if (!*category) return not_found(ctx, r);
  auto articles = kb.section_articles(reader_of(r), id, lang, 500, departments);
  if (!articles) return failed(ctx, r, articles.error());
  // A section with nothing the reader may see does not exist for them.
  if (articles->empty()) return not_found(ctx, r);
  auto f = frame_of(ctx, r, lang, "/sections/" + std::to_string(id));
  return html(200, help::section_page(f, **category, **section, *articles));
}

Response article_page(const ApiContext& ctx, services::KbService& kb, Request& r,
                      const services::KbDepartments& departments, std::int64_t& translation_id) {
  std::int64_t id = 0;
  if (auto refused = refuse_page(ctx, r, id)) return std::move(*refused);
  const std::string lang(r.param("lang"));
  const auto reader = reader_of(r);
  help::ArticleView view;
  auto found = kb.published(reader, id, lang);
  if (!found) return failed(ctx, r, found.error());
  // Not in this language: the first other language of the help centre's it is published in.
  for (const auto& other : site(ctx)->languages) {
    if (*found || other == lang) continue;
    found = kb.published(reader, id, other);
    if (!found) return failed(ctx, r, found.error());
    view.fallback = found->has_value();
  }
  if (!*found) return not_found(ctx, r);
  view.entry = std::move(**found);
  auto languages = kb.published_languages(id);
  if (!languages) return failed(ctx, r, languages.error());
  std::erase_if(*languages, [&](const std::string& l) { return !offered(ctx, l); });
  auto section = kb.section(view.entry.section_id);
  if (!section) return failed(ctx, r, section.error());
  view.section = *section;
  if (view.section) {
    auto category = kb.category(view.section->category_id);
    if (!category) return failed(ctx, r, category.error());
    view.category = *category;
  }
  auto related = kb.section_articles(reader, view.entry.section_id, lang, 6, departments);
  if (!related) return failed(ctx, r, related.error());
  for (auto& e : *related)
    if (e.article_id != id && view.related.size() < 5) view.related.push_back(std::move(e));
  auto files = kb.article_files(id);
  if (!files) return failed(ctx, r, files.error());
  for (auto& file : *files)
    if (!kb_file_is_image(file.content_type)) view.attachments.push_back(std::move(file));
  view.voted = r.query_value("voted").has_value();
  const std::string rest = "/articles/" + std::to_string(id);
  auto f = frame_of(ctx, r, lang, rest);
  f.alternates = *languages;
  f.canonical = base_url(ctx, r) + "/help/" + view.entry.translation.lang + rest;
  translation_id = view.entry.translation.id;
  kb.count_view(translation_id);
  return html(200, help::article_page(f, view));
}

Response record_vote(const ApiContext& ctx, services::KbService& kb, Request& r) {
  std::int64_t id = 0;
  if (auto refused = refuse_page(ctx, r, id)) return std::move(*refused);
  const std::string lang(r.param("lang"));
  bool helpful;
  if (r.body == "helpful=yes")
    helpful = true;
  else if (r.body == "helpful=no")
    helpful = false;
  else
    return error_response(
        {ErrorCode::kInvalidArgument, "send helpful=yes or helpful=no", "helpful"});
  auto counted = kb.vote(reader_of(r), id, lang, helpful);
  if (!counted) return failed(ctx, r, counted.error());
  if (!*counted) return not_found(ctx, r);
  return redirect(303, "/help/" + lang + "/articles/" + std::to_string(id) + "?voted=1");
}

schema::Schema help_lang() {
  return schema::enum_of({"zh-CN", "en", "zh-TW", "ja", "ko", "fr", "de", "es"})
      .describe("One of the help centre's languages (help-settings); others are 404.");
}

using Cache = std::shared_ptr<HelpPageCache>;

void add_home_routes(Router& router, ApiContext& ctx, services::KbService& kb, Cache cache) {
  using namespace schema;
  router.add("GET", "/help", Access::kPublic, "help centre",
             "The help centre in the reader's language",
             doc("helpHome")
                 .describe("Redirects to /help/{lang}: the signed-in reader's "
                           "language, else the best of Accept-Language, else the first of the "
                           "help centre's languages (help-settings).")
                 .returns_nothing(302, "To /help/zh-CN, /help/en, …"),
             [&ctx](Request& r) {
               const auto setting = site(ctx);
               std::string lang;
               if (r.principal)
                 lang = kb_language_among(r.who().user.locale, setting->languages).value_or("");
               if (lang.empty())
                 lang = kb_language_from_accept(r.header("accept-language").value_or(""),
                                                setting->languages, setting->languages.front());
               return redirect(302, "/help/" + lang);
             });

  router.add("GET", "/help/{lang}", Access::kPublic, "help centre", "The help centre's home",
             page_doc("helpLanguageHome", "Categories, their sections and recent articles.")
                 .path("lang", help_lang()),
             [&ctx, &kb, cache](Request& r) {
               if (auto refused = refuse_language(ctx, r)) return std::move(*refused);
               auto departments = departments_of(ctx, r);
               if (!departments) return failed(ctx, r, departments.error());
               return from_cache(*cache, kb, r, *departments, [&](std::int64_t&) {
                 const std::string lang(r.param("lang"));
                 auto structure = kb.structure(reader_of(r), lang, *departments);
                 if (!structure) return failed(ctx, r, structure.error());
                 auto recent = kb.recent_articles(reader_of(r), lang, 10, *departments);
                 if (!recent) return failed(ctx, r, recent.error());
                 return html(200, help::home_page(frame_of(ctx, r, lang, ""), *structure, *recent));
               });
             });
}

// The handler of a page (a category's, a section's) kept in the cache per reader's departments;
// `render` makes it on a miss.
using RenderPage = Response (*)(const ApiContext&, services::KbService&, Request&,
                                const services::KbDepartments&);
Handler cached_page(ApiContext& ctx, services::KbService& kb, Cache cache, RenderPage render) {
  return [&ctx, &kb, cache, render](Request& r) {
    auto departments = departments_of(ctx, r);
    if (!departments) return failed(ctx, r, departments.error());
    return from_cache(*cache, kb, r, *departments,
                      [&](std::int64_t&) { return render(ctx, kb, r, *departments); });
  };
}

void add_browse_routes(Router& router, ApiContext& ctx, services::KbService& kb, Cache cache) {
  // A category's page and a section's: the same kind of page about another thing.
  auto add_page = [&](std::string path, std::string summary, std::string operation_id,
                      std::string what, RenderPage render) {
    router.add("GET", std::move(path), Access::kPublic, "help centre", std::move(summary),
               page_doc(std::move(operation_id), std::move(what))
                   .path("lang", help_lang())
                   .path("id", schema::integer()),
               cached_page(ctx, kb, cache, render));
  };
  add_page("/help/{lang}/categories/{id}", "A category's page", "helpCategory",
           "Its sections and their articles.", category_page);
  add_page("/help/{lang}/sections/{id}", "A section's page", "helpSection",
           "Its articles, in order.", section_page);
}

void add_article_routes(Router& router, ApiContext& ctx, services::KbService& kb, Cache cache) {
  using namespace schema;
  router.add(
      "GET", "/help/{lang}/articles/{id}", Access::kPublic, "help centre", "An article's page",
      page_doc("helpArticle",
               "Breadcrumbs, the article, \"was this helpful?\" and related articles. When the "
               "article is not published in the language asked for but is in the other, that "
               "one is shown with a notice; canonical and hreflang links name each language's "
               "page.")
          .path("lang", help_lang())
          .path("id", integer())
          .query("voted", string(), "Set after a vote: the page thanks the reader."),
      [&ctx, &kb, cache](Request& r) {
        auto departments = departments_of(ctx, r);
        if (!departments) return failed(ctx, r, departments.error());
        // Checked before the cache: the page of an article an agent may read is kept once for
        // every agent of the same departments.
        if (auto refused = internal_elsewhere(ctx, kb, r, *departments)) return std::move(*refused);
        return from_cache(*cache, kb, r, *departments, [&](std::int64_t& translation_id) {
          return article_page(ctx, kb, r, *departments, translation_id);
        });
      });

  router.add(
      "POST", "/help/{lang}/articles/{id}/vote", Access::kPublic, "help centre",
      "\"Was this helpful?\" from the article page's form",
      doc("helpVote")
          .path("lang", help_lang())
          .path("id", integer())
          .body(object({{"helpful", enum_of({"yes", "no"})}}).require({"helpful"}),
                "application/x-www-form-urlencoded")
          .returns_nothing(303, "Back to the article, which then thanks the reader.")
          .returns_nothing(301, "The language spelled another way: to its canonical path.")
          .returns(404, string(), "No such article, or none the reader may see.", "text/html"),
      [&ctx, &kb](Request& r) { return record_vote(ctx, kb, r); });
}

void add_search_routes(Router& router, ApiContext& ctx, services::KbService& kb) {
  using namespace schema;
  router.add("GET", "/help/{lang}/search", Access::kPublic, "help centre", "Search results",
             page_doc("helpSearch", "Ranked articles with snippets, as /api/v1/kb/search.")
                 .path("lang", help_lang())
                 .query("q", string(), "The query."),
             [&ctx, &kb](Request& r) {
               if (auto refused = refuse_language(ctx, r)) return std::move(*refused);
               const std::string lang(r.param("lang"));
               auto f = frame_of(ctx, r, lang, "/search");
               f.query = r.query_value("q").value_or("");
               f.alternates.clear();
               if (f.query.size() > 1000)
                 return error_response({ErrorCode::kInvalidArgument, "the query is too long", "q"});
               auto departments = departments_of(ctx, r);
               if (!departments) return failed(ctx, r, departments.error());
               auto hits =
                   kb.search(reader_of(r), f.query, lang, 20, services::KbService::Match::kAll,
                             *departments, services::KbService::Scope::kHelp);
               if (!hits) return failed(ctx, r, hits.error());
               return html(200, help::search_page(f, *hits));
             });

  router.add(
      "GET", "/help/sitemap.xml", Access::kPublic, "help centre",
      "The help centre's sitemap: public articles only",
      doc("helpSitemap")
          .describe("Needs `public_url` (503 without: a sitemap's addresses are absolute).")
          .returns(200, string(), "Sitemap XML.", "application/xml")
          .errors({503}),
      [&ctx, &kb](Request& r) {
        if (ctx.public_url.empty())
          return error_response(
              {ErrorCode::kUnavailable, "set public_url: a sitemap needs absolute addresses", {}});
        auto entries = kb.sitemap();
        if (!entries) return error_response(entries.error());
        std::erase_if(*entries, [&](const auto& e) { return !offered(ctx, e.lang); });
        Response out;
        out.body = help::sitemap_xml(base_url(ctx, r), site(ctx)->languages, *entries);
        out.content_type = "application/xml; charset=utf-8";
        out.set_header("Cache-Control", "public, max-age=300");
        return out;
      });
}

void add_file_routes(Router& router, ApiContext& ctx, services::KbService& kb) {
  using namespace schema;
  router.add(
      "GET", "/help-files/{id}", Access::kPublic, "help centre", "An article's image or attachment",
      doc("helpFile")
          .describe("With the article's visibility: anonymous readers get the files of "
                    "published public articles, signed-in customers also those for customers, "
                    "agents every article's (drafts too, for the editor's preview). Images "
                    "(PNG, JPEG, GIF, WebP) are shown inline; anything a browser could run "
                    "comes as an attachment, as ticket attachments do.")
          .path("id", integer())
          .returns(200, binary(), "The file's bytes, with the type detected from them.", "*/*")
          .with_headers({"Content-Disposition"})
          .returns(404, string(), "No such file, or none the reader may see.", "text/html"),
      [&ctx, &kb](Request& r) {
        auto id = id_param(r);
        auto not_here = [&] {
          auto f = frame_of(ctx, r, site(ctx)->languages.front(), "");
          return html(404, help::not_found_page(f));
        };
        if (!id) return not_here();
        auto file = kb.read_file(reader_of(r), *id);
        if (!file) return error_response(file.error());
        if (!*file) return not_here();
        auto& [row, bytes] = **file;
        return download_response(std::move(bytes), row.filename, row.content_type,
                                 row.content_type);
      });
}

}  // namespace

void add_help_routes(Router& router, ApiContext& ctx) {
  if (!ctx.kb) return;
  auto& kb = *ctx.kb;
  // Held by the routes that use it, so it lives as long as the router.
  auto cache =
      std::make_shared<HelpPageCache>(kb.version(), kHelpCacheBytes, HelpPageCache::settle_time());
  add_home_routes(router, ctx, kb, cache);
  add_browse_routes(router, ctx, kb, cache);
  add_article_routes(router, ctx, kb, cache);
  add_search_routes(router, ctx, kb);
  add_file_routes(router, ctx, kb);
}

}  // namespace gongdan::api
