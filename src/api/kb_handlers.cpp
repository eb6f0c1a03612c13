// The knowledge base beyond its declared resources (kb/categories, kb/sections, kb/articles:
// resource_routes): an article's translations, their versions and restoring one, the public
// search, and deflections counted from the portal.
#include "api/answer_shape.hpp"
#include "api/context.hpp"
#include "api/help_cache.hpp"
#include "api/json.hpp"
#include "api/kb_json.hpp"
#include "api/router.hpp"
#include "api/ticket_json.hpp"
#include "util/text.hpp"

namespace gongdan::api {
namespace {

schema::Schema kb_lang() {
  return schema::enum_of({"zh-CN", "en", "zh-TW", "ja", "ko", "fr", "de", "es"});
}
schema::Schema kb_states() {
  return schema::enum_of({"draft", "in_review", "published", "archived"});
}

using namespace shape;

const AnswerShape<KbTranslation> kTranslationShape{
    integer("id", &KbTranslation::id),
    integer("article_id", &KbTranslation::article_id),
    member("lang", &KbTranslation::lang, kb_lang()),
    text("title", &KbTranslation::title),
    text("body", &KbTranslation::body).describe("Markdown."),
    text("body_html", &KbTranslation::body_html).describe("The body rendered and sanitised."),
    computed<KbTranslation>(
        "state", [](const KbTranslation& t) { return kb_state_name(t.state); }, kb_states()),
    integer("version", &KbTranslation::version),
    integer("author_id", &KbTranslation::author_id),
    instant("published_at", &KbTranslation::published_at),
    instant("publish_at", &KbTranslation::publish_at)
        .describe("Scheduled: a job publishes it at this time."),
    instant("created_at", &KbTranslation::created_at),
    instant("updated_at", &KbTranslation::updated_at),
    integer("views", &KbTranslation::views),
    integer("helpful", &KbTranslation::helpful),
    integer("unhelpful", &KbTranslation::unhelpful)};

json::object version_json(const KbVersion& v, std::string_view lang) {
  return json::object{{"version", v.version},
                      {"lang", lang},
                      {"title", v.title},
                      {"body", v.body},
                      {"state", kb_state_name(v.state)},
                      {"author_id", or_null(v.author_id)},
                      {"author_name", v.author_name},
                      {"created_at", iso_time(v.created_at)}};
}

json::array pieces_json(const std::vector<DiffPiece>& pieces) {
  json::array out;
  for (const auto& p : pieces)
    out.push_back(json::object{{"op", diff_op_name(p.op)}, {"text", p.text}});
  return out;
}

schema::Schema version_schema() {
  using namespace schema;
  return object({{"version", integer()},
                 {"lang", kb_lang()},
                 {"title", string()},
                 {"body", string()},
                 {"state", kb_states()},
                 {"author_id", nullable(integer())},
                 {"author_name", string().describe("Who saved it; empty when removed since.")},
                 {"created_at", date_time()}})
      .require_all();
}

schema::Schema diff_schema() {
  using namespace schema;
  auto pieces = array_of(
      object({{"op", enum_of({"same", "added", "removed"})}, {"text", string()}}).require_all());
  return object({{"lang", kb_lang()},
                 {"from", ref("KbVersion")},
                 {"to", ref("KbVersion")},
                 {"by", enum_of({"line", "word"})},
                 {"title", pieces.describe("The titles, word by word.")},
                 {"body", pieces.describe("The bodies; same and removed runs make `from`'s, same "
                                          "and added runs `to`'s.")}})
      .require_all();
}

Result<std::int64_t> version_number(const Request& r, std::string_view name) {
  auto text = r.query_value(name);
  auto n = text ? text::parse_integer<std::int64_t>(*text) : std::nullopt;
  if (!n || *n < 1)
    return fail(ErrorCode::kInvalidArgument, std::string(name) + " must be a version number",
                std::string(name));
  return *n;
}

// The body of a PUT of a translation: what it changes.
Result<services::KbTranslationChange> translation_change(const json::object& body) {
  services::KbTranslationChange change;
  GONGDAN_ASSIGN(change.title, optional_string(body, "title", 100000));
  GONGDAN_ASSIGN(change.body, optional_string(body, "body", 64u << 20));
  GONGDAN_ASSIGN(auto state, optional_string(body, "state", 100));
  if (state) {
    change.state = parse_kb_state(*state);
    if (!change.state)
      return fail(ErrorCode::kInvalidArgument, "use draft, in_review, published or archived",
                  "state");
  }
  if (const auto* at = body.if_contains("publish_at")) {
    if (at->is_null()) {
      change.publish_at.emplace();
    } else if (!at->is_string() || at->get_string().size() > 40) {
      return fail(ErrorCode::kInvalidArgument,
                  "publish_at must be a time like 2027-01-31T08:00:00Z, or null", "publish_at");
    } else {
      GONGDAN_ASSIGN(auto when, parse_iso_time(at->get_string(), "publish_at"));
      change.publish_at = std::optional<Millis>(when);
    }
  }
  return change;
}

void add_translation_reads(Router& router, services::KbService& kb) {
  using namespace schema;
  router.add(
      "GET", "/api/v1/kb/articles/{id}/translations", Access::kSignedIn, "knowledge base",
      "An article's translations (agents)",
      doc("listKbTranslations").path("id", integer()).returns(200, items_of(ref("KbTranslation"))),
      [&kb](Request& r) {
        return answer([&]() -> Result<Response> {
          GONGDAN_ASSIGN(auto id, article_id(r));
          GONGDAN_ASSIGN(auto all, kb.translations(r.who(), id));
          return json_response(200, items_answer(all, kTranslationShape));
        }());
      });

  router.add("GET", "/api/v1/kb/articles/{id}/translations/{lang}", Access::kSignedIn,
             "knowledge base", "One language of an article, in any state (agents)",
             doc("getKbTranslation")
                 .path("id", integer())
                 .path("lang", kb_lang())
                 .returns(200, ref("KbTranslation")),
             [&kb](Request& r) {
               return answer([&]() -> Result<Response> {
                 GONGDAN_ASSIGN(auto id, article_id(r));
                 GONGDAN_ASSIGN(auto t, kb.translation(r.who(), id, r.param("lang")));
                 return json_response(200, kTranslationShape.write(t));
               }());
             });
}

void add_translation_write(Router& router, services::KbService& kb) {
  using namespace schema;
  router.add(
      "PUT", "/api/v1/kb/articles/{id}/translations/{lang}", Access::kSignedIn, "knowledge base",
      "Write one language of an article: a new version each save",
      doc("putKbTranslation")
          .describe("Creates the translation (a title is then required) or changes it; what the "
                    "body leaves out keeps its value. `body` is Markdown (GitHub-flavoured), at "
                    "most 256 KiB (413 above). `state` moves draft → in_review → published → "
                    "archived, or back to draft (409 otherwise). `publish_at` (a time to "
                    "come, UTC) schedules a draft or a translation in review to be published "
                    "then; null cancels; publishing by hand clears it. Light agents may not "
                    "write.")
          .path("id", integer())
          .path("lang", kb_lang())
          .body(object({{"title", string().min_length(1).max_length(300)},
                        {"body", string()},
                        {"state", kb_states()},
                        {"publish_at", nullable(date_time())}}))
          .returns(200, ref("KbTranslation"))
          .errors({409, 413}),
      [&kb](Request& r) {
        return answer([&]() -> Result<Response> {
          GONGDAN_ASSIGN(auto id, article_id(r));
          GONGDAN_ASSIGN(auto body, parse_object(r.body, {"title", "body", "state", "publish_at"}));
          GONGDAN_ASSIGN(auto change, translation_change(body));
          GONGDAN_ASSIGN(auto t, kb.save_translation(r.who(), id, r.param("lang"), change));
          return json_response(200, kTranslationShape.write(t));
        }());
      });
}

void add_version_reads(Router& router, services::KbService& kb) {
  using namespace schema;
  router.add("GET", "/api/v1/kb/articles/{id}/versions", Access::kSignedIn, "knowledge base",
             "Every saved version of an article's translations, newest first (agents)",
             doc("listKbVersions")
                 .path("id", integer())
                 .query("lang", kb_lang(), "One language only; none: every language.")
                 .returns(200, items_of(ref("KbVersion"))),
             [&kb](Request& r) {
               return answer([&]() -> Result<Response> {
                 GONGDAN_ASSIGN(auto id, article_id(r));
                 std::vector<std::string> langs;
                 if (auto lang = r.query_value("lang")) {
                   langs.emplace_back(*lang);
                 } else {
                   GONGDAN_ASSIGN(auto all, kb.translations(r.who(), id));
                   for (const auto& t : all) langs.push_back(t.lang);
                 }
                 json::array items;
                 for (const auto& lang : langs) {
                   GONGDAN_ASSIGN(auto versions, kb.versions(r.who(), id, lang));
                   const auto canonical = parse_kb_language(lang).value_or(lang);
                   for (const auto& v : versions) items.push_back(version_json(v, canonical));
                 }
                 return json_response(200, json::object{{"items", std::move(items)}});
               }());
             });

  router.define_schema("KbVersionDiff", diff_schema());
  router.add(
      "GET", "/api/v1/kb/articles/{id}/versions/diff", Access::kSignedIn, "knowledge base",
      "What changed between two versions of a translation (agents)",
      doc("diffKbVersions")
          .describe("Computed on the server: the bodies line by line (or word by word; Chinese "
                    "character by character), the titles word by word. Past 1000 edits the "
                    "changed middle is one removal and one addition.")
          .path("id", integer())
          .query("lang", kb_lang(), "The translation.")
          .query("from", integer().minimum(1), "The older version.")
          .query("to", integer().minimum(1), "The newer version.")
          .query("by", enum_of({"line", "word"}), "line (default) or word.")
          .returns(200, ref("KbVersionDiff")),
      [&kb](Request& r) {
        return answer([&]() -> Result<Response> {
          GONGDAN_ASSIGN(auto id, article_id(r));
          GONGDAN_ASSIGN(auto from, version_number(r, "from"));
          GONGDAN_ASSIGN(auto to, version_number(r, "to"));
          const auto by = r.query_value("by").value_or("line");
          if (by != "line" && by != "word")
            return fail(ErrorCode::kInvalidArgument, "use line or word", "by");
          auto lang = r.query_value("lang");
          if (!lang) return fail(ErrorCode::kInvalidArgument, "say which language", "lang");
          GONGDAN_ASSIGN(auto d, kb.diff(r.who(), id, *lang, from, to,
                                         by == "word" ? DiffUnit::kWord : DiffUnit::kLine));
          const auto canonical = parse_kb_language(*lang).value_or("en");
          return json_response(200, json::object{{"lang", canonical},
                                                 {"from", version_json(d.from, canonical)},
                                                 {"to", version_json(d.to, canonical)},
                                                 {"by", by},
                                                 {"title", pieces_json(d.title)},
                                                 {"body", pieces_json(d.body)}});
        }());
      });
}

void add_version_restore(Router& router, services::KbService& kb) {
  using namespace schema;
  router.add("POST", "/api/v1/kb/articles/{id}/versions/{version}/restore", Access::kSignedIn,
             "knowledge base", "Make an old version's title and body current again",
             doc("restoreKbVersion")
                 .describe("Saved as a new version (audited as kb_article.restore with the "
                           "version restored); the translation's state is kept. Restoring what "
                           "is current already changes nothing.")
                 .path("id", integer())
                 .path("version", integer())
                 .body(object({{"lang", kb_lang()}}).require({"lang"}))
                 .returns(200, ref("KbTranslation")),
             [&kb](Request& r) {
               return answer([&]() -> Result<Response> {
                 GONGDAN_ASSIGN(auto id, article_id(r));
                 GONGDAN_ASSIGN(auto version, path_id(r, "version", "version"));
                 GONGDAN_ASSIGN(auto body, parse_object(r.body, {"lang"}));
                 GONGDAN_ASSIGN(auto lang, required_string(body, "lang", 20));
                 GONGDAN_ASSIGN(auto t, kb.restore(r.who(), id, lang, version));
                 return json_response(200, kTranslationShape.write(t));
               }());
             });
}

// Answers to searches kept until the knowledge base changes (HelpPageCache, the help centre's
// rules: a change anywhere clears them): customers typing a subject
// and readers of the help centre ask the same queries again and again, and each is a
// millisecond or two of FTS5 ranking and snippets. 16 MiB of answers of a few KiB each.
constexpr std::size_t kSearchCacheBytes = 16u << 20;

void add_search(Router& router, services::KbService& kb, services::Directory& directory) {
  using namespace schema;
  auto answers = std::make_shared<HelpPageCache>(kb.version(), kSearchCacheBytes,
                                                 HelpPageCache::settle_time());
  router.define_schema("KbHit", kKbHitShape.schema());
  router.add(
      "GET", "/api/v1/kb/search", Access::kPublic, "knowledge base",
      "Search published articles, ranked, with snippets",
      doc("searchKb")
          .describe("Words, `\"exact phrases\"` and `-excluded` words, in one language; Chinese, "
                    "Japanese and Korean need no spaces. Title matches rank above body matches. "
                    "Anonymous callers see public articles, signed-in customers also those for "
                    "customers, agents every published article; an agent limited to some "
                    "departments is offered only the articles of categories of no department "
                    "or of their own.")
          .query("q", string(), "The query.")
          .query("lang", kb_lang(), "The articles' language (default en).")
          .query("limit", integer().minimum(1).maximum(50), "How many (default 10).")
          .query("match", enum_of({"all", "any"}),
                 "all (default): every word; any: any word, more matches first (suggestions "
                 "from a ticket's subject).")
          .returns(200, items_of(ref("KbHit"))),
      [&kb, &directory, answers](Request& r) {
        return answer([&]() -> Result<Response> {
          GONGDAN_ASSIGN(auto limit, page_limit(r, 10, 50));
          services::KbDepartments departments;
          if (r.principal && r.who().is_agent()) {
            GONGDAN_ASSIGN(auto viewer, directory.viewer(r.who()));
            departments = services::kb_departments(viewer);
          }
          const auto q = r.query_value("q").value_or("");
          const auto lang = r.query_value("lang").value_or("en");
          const auto match = r.query_value("match").value_or("all");
          if (match != "all" && match != "any")
            return fail(ErrorCode::kInvalidArgument, "use all or any", "match");
          const auto reader = services::kb_reader(r.principal ? &r.who() : nullptr);
          // What the answer depends on: the reader's kind and departments, and the query.
          std::string key(1, static_cast<char>('0' + static_cast<int>(reader)));
          if (departments) {
            key += 'd';
            for (auto id : *departments) key += std::to_string(id) + ',';
          }
          key.append("\n").append(std::to_string(limit)).append(match);
          key.append("\n").append(lang).append("\n").append(q);
          if (auto kept = answers->find(key)) {
            Response out;
            out.status = 200;
            out.body = kept->body;
            return out;
          }
          const auto seen = answers->seen();
          GONGDAN_ASSIGN(auto hits, kb.search(reader, q, lang, limit,
                                              match == "any" ? services::KbService::Match::kAny
                                                             : services::KbService::Match::kAll,
                                              departments));
          auto out = json_response(200, items_answer(hits, kKbHitShape));
          answers->keep(key, seen, {out.body, 0});
          return out;
        }());
      });
}

void add_stats_and_preview(Router& router, services::KbService& kb, const Clock& clock) {
  using namespace schema;
  router.add("GET", "/api/v1/kb/stats", Access::kSignedIn, "knowledge base",
             "The knowledge base's numbers (admins)",
             doc("getKbStats")
                 .query("days", integer().minimum(1).maximum(3650),
                        "Deflections of the last so many days (default 30).")
                 .returns(200, object({{"deflections", integer()},
                                       {"views", integer()},
                                       {"helpful", integer()},
                                       {"unhelpful", integer()}})
                                   .require_all()),
             [&kb, &clock](Request& r) {
               return answer([&]() -> Result<Response> {
                 int days = 30;
                 if (auto d = r.query_value("days")) {
                   days = text::parse_integer<int>(*d).value_or(0);
                   if (days < 1 || days > 3650)
                     return fail(ErrorCode::kInvalidArgument, "days must be from 1 to 3650",
                                 "days");
                 }
                 const Millis since = clock.now_ms() - Millis{days} * 86'400'000;
                 GONGDAN_ASSIGN(auto s, kb.stats(r.who(), since));
                 return json_response(200, json::object{{"deflections", s.deflections},
                                                        {"views", s.views},
                                                        {"helpful", s.helpful},
                                                        {"unhelpful", s.unhelpful}});
               }());
             });

  router.add(
      "POST", "/api/v1/kb/preview", Access::kSignedIn, "knowledge base",
      "Render Markdown as an article would be (the editor's preview)",
      doc("previewKbMarkdown")
          .body(object({{"body", string()}}).require({"body"}))
          .returns(200, object({{"html", string()}}).require_all()),
      [](Request& r) {
        return answer([&]() -> Result<Response> {
          if (!r.who().is_agent())
            return fail(ErrorCode::kPermissionDenied, "only agents write articles");
          GONGDAN_ASSIGN(auto body, parse_object(r.body, {"body"}));
          GONGDAN_ASSIGN(auto text, required_string(body, "body", 64u << 20));
          return json_response(200, json::object{{"html", services::KbService::preview(text)}});
        }());
      });
}

void add_deflections(Router& router, services::KbService& kb) {
  using namespace schema;
  router.add("POST", "/api/v1/kb/deflections", Access::kPublic, "knowledge base",
             "Count a deflection: a suggested article was opened and no ticket followed",
             doc("recordKbDeflection")
                 .describe("Sent by the portal's new-ticket form when the customer opened a "
                           "suggested article and left without submitting.")
                 .body(object({{"article_id", integer()},
                               {"lang", kb_lang()},
                               {"query", string().max_length(200)}})
                           .require({"article_id", "lang"}))
                 .returns_nothing(204)
                 .errors({404}),
             [&kb](Request& r) {
               return answer([&]() -> Result<Response> {
                 GONGDAN_ASSIGN(auto body, parse_object(r.body, {"article_id", "lang", "query"}));
                 const auto* id = body.if_contains("article_id");
                 if (!id || !id->is_int64() || id->get_int64() <= 0)
                   return fail(ErrorCode::kInvalidArgument, "an article id is required",
                               "article_id");
                 GONGDAN_ASSIGN(auto lang, required_string(body, "lang", 20));
                 GONGDAN_ASSIGN(auto query, optional_string(body, "query", 2000));
                 GONGDAN_TRY(kb.record_deflection(r.principal ? &r.who() : nullptr, id->get_int64(),
                                                  lang, query.value_or("")));
                 return no_content();
               }());
             });
}

}  // namespace

Result<std::int64_t> article_id(const Request& r) {
  return path_id(r, "id", Error{ErrorCode::kNotFound, "no such kb_article", {}, 0});
}

using services::KbEntry;

const AnswerShape<KbEntry> kKbHitShape{
    integer("article_id", &KbEntry::article_id),
    computed<KbEntry>(
        "lang", [](const KbEntry& h) { return h.translation.lang; }, kb_lang()),
    computed<KbEntry>(
        "title", [](const KbEntry& h) { return h.translation.title; }, schema::string()),
    text("snippet", &KbEntry::snippet).describe("Text around the match; `<mark>` marks it."),
    computed<KbEntry>(
        "url",
        [](const KbEntry& h) {
          return "/help/" + h.translation.lang + "/articles/" + std::to_string(h.article_id);
        },
        schema::string().describe("The article's help centre page.")),
    integer("section_id", &KbEntry::section_id),
    computed<KbEntry>(
        "visibility", [](const KbEntry& h) { return kb_visibility_name(h.visibility); },
        schema::enum_of({"public", "customers", "agents"}))};

void add_kb_routes(Router& router, ApiContext& ctx) {
  if (!ctx.kb) return;
  auto& kb = *ctx.kb;
  router.define_schema("KbTranslation", kTranslationShape.schema());
  router.define_schema("KbVersion", version_schema());
  add_translation_reads(router, kb);
  add_translation_write(router, kb);
  add_version_reads(router, kb);
  add_version_restore(router, kb);
  add_search(router, kb, ctx.directory);
  add_stats_and_preview(router, kb, *ctx.clock);
  add_deflections(router, kb);
}

}  // namespace gongdan::api
