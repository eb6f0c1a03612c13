#include "api/help_html.hpp"

#include <map>

#include "util/iso_time.hpp"
#include "util/text.hpp"

namespace gongdan::api::help {
namespace {

struct Words2 {
  std::string_view en;
  std::string_view zh;
};

const std::map<std::string_view, Words2>& words() {
  static const std::map<std::string_view, Words2> w = {
      {"help_centre", {"Help Centre", "帮助中心"}},
      {"search", {"Search", "搜索"}},
      {"search_placeholder", {"Search the help centre", "搜索帮助中心"}},
      {"home", {"Home", "首页"}},
      {"recent", {"Recent articles", "最新文章"}},
      {"articles", {"articles", "篇文章"}},
      {"no_articles", {"No articles yet.", "暂无文章。"}},
      {"helpful", {"Was this article helpful?", "这篇文章有帮助吗？"}},
      {"yes", {"Yes", "有帮助"}},
      {"no", {"No", "没帮助"}},
      {"thanks", {"Thank you for your feedback.", "感谢你的反馈。"}},
      {"related", {"Related articles", "相关文章"}},
      {"attachments", {"Attachments", "附件"}},
      {"results_for", {"Results for", "搜索结果："}},
      {"no_results", {"Nothing matched. Try other words.", "没有找到匹配的文章，换个词试试。"}},
      {"not_found",
       {"This page does not exist, or you may not see it.", "页面不存在，或你无权查看。"}},
      {"fallback",
       {"This article is not available in this language; it is shown in another.",
        "这篇文章暂无此语言的版本，以下为其他语言的版本。"}},
      {"updated", {"Updated", "更新于"}},
      {"submit_ticket", {"Still need help? Submit a request", "仍需帮助？提交工单"}},

  };
  return w;
}

std::string esc(std::string_view s) {
  std::string out;
  text::append_html_escaped(out, s);
  return out;
}

std::string title_of(const Frame& f) {
  return f.company.empty() ? std::string(word(f.lang, "help_centre"))
                           : f.company + " " + std::string(word(f.lang, "help_centre"));
}

// No scripts at all; inline styles only.
constexpr std::string_view kStyle = R"(
body{margin:0;font:16px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1f2328;background:#f6f8fa}
header{background:#1d4ed8;color:#fff;padding:16px 24px}header a{color:#fff;text-decoration:none}
header .top{display:flex;justify-content:space-between;align-items:center;max-width:960px;margin:0 auto}
header .brand{display:flex;align-items:center;gap:10px}header .logo{max-height:36px;max-width:160px}
header .langs a{margin-left:12px}
header form{max-width:960px;margin:12px auto 0;display:flex;gap:8px}
header input{flex:1;padding:10px;border:0;border-radius:6px;font-size:16px}
header button{padding:10px 16px;border:0;border-radius:6px;background:#fff;color:#1d4ed8;font-size:16px}
main{max-width:960px;margin:24px auto;padding:0 24px}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px 20px;margin-bottom:16px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:16px}
.crumbs{font-size:14px;color:#57606a;margin-bottom:12px}.crumbs a{color:#57606a}
.notice{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:8px 12px}
.muted{color:#57606a;font-size:14px}mark{background:#fff1a8}
article img{max-width:100%}article pre{background:#f6f8fa;padding:12px;overflow:auto}
article table{border-collapse:collapse}article td,article th{border:1px solid #d0d7de;padding:4px 8px}
.vote form{display:inline}.vote button{margin-left:8px;padding:6px 14px}
ul.plain{list-style:none;padding:0}ul.plain li{margin:6px 0}
)";

std::string page(const Frame& f, std::string_view heading, const std::string& body) {
  std::string out;
  out.reserve(body.size() + 4096);
  out += "<!doctype html>\n<html lang=\"" + esc(f.lang) + "\"><head><meta charset=\"utf-8\">";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  out += "<title>";
  if (!heading.empty()) out += esc(heading) + " - ";
  out += esc(title_of(f)) + "</title>";
  if (!f.canonical.empty()) out += "<link rel=\"canonical\" href=\"" + esc(f.canonical) + "\">";
  for (const auto& lang : f.alternates) {
    std::string href = f.alternate_path;
    if (auto at = href.find("{lang}"); at != std::string::npos) href.replace(at, 6, lang);
    out += "<link rel=\"alternate\" hreflang=\"" + esc(lang) + "\" href=\"" + esc(href) + "\">";
  }
  out += "<style>";
  out += kStyle;
  // The company's colour (checked #rrggbb) over the default blue.
  out += "header{background:" + esc(f.colour) + "}header button{color:" + esc(f.colour) +
         "}main a{color:" + esc(f.colour) + "}";
  out += "</style></head><body><header><div class=\"top\"><a href=\"/help/" + esc(f.lang) +
         "\" class=\"brand\">";
  if (!f.logo_url.empty()) out += "<img src=\"" + esc(f.logo_url) + "\" alt=\"\" class=\"logo\">";
  out += "<strong>" + esc(title_of(f)) + "</strong></a><nav class=\"langs\">";
  // The same page in each other language, on this server (root-relative: not the canonical
  // public_url address, which may be another name for it).
  const std::string rest =
      f.path.starts_with("/help/" + f.lang) ? f.path.substr(6 + f.lang.size()) : std::string();
  for (const auto& lang : f.languages)
    if (lang != f.lang)
      out += "<a href=\"/help/" + esc(lang) + esc(rest) + "\" hreflang=\"" + esc(lang) +
             "\" lang=\"" + esc(lang) + "\">" + esc(kb_language_name(lang)) + "</a>";
  out += "</nav></div>";
  out += "<form action=\"/help/" + esc(f.lang) + "/search\" method=\"get\" role=\"search\">";
  out += "<input type=\"search\" name=\"q\" value=\"" + esc(f.query) + "\" placeholder=\"" +
         esc(word(f.lang, "search_placeholder")) + "\" aria-label=\"" +
         esc(word(f.lang, "search")) + "\">";
  out += "<button type=\"submit\">" + esc(word(f.lang, "search")) + "</button></form></header>";
  out += "<main>" + body + "</main></body></html>\n";
  return out;
}

std::string article_link(const Frame& f, const services::KbEntry& e) {
  return "<a href=\"/help/" + esc(f.lang) + "/articles/" + std::to_string(e.article_id) + "\">" +
         esc(e.translation.title) + "</a>";
}

std::string article_list(const Frame& f, const std::vector<services::KbEntry>& entries) {
  if (entries.empty()) return "<p class=\"muted\">" + esc(word(f.lang, "no_articles")) + "</p>";
  std::string out = "<ul class=\"plain\">";
  for (const auto& e : entries) out += "<li>" + article_link(f, e) + "</li>";
  return out + "</ul>";
}

std::string day_of(Millis ms) { return iso_time(ms).substr(0, 10); }

// 812 B, 14 KB, 2.3 MB.
std::string size_text(std::int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  if (bytes < 1024 * 1024) return std::to_string((bytes + 512) / 1024) + " KB";
  const std::int64_t tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " MB";
}

}  // namespace

std::string_view word(std::string_view lang, std::string_view key) {
  auto it = words().find(key);
  if (it == words().end()) return key;
  return kb_language_is_chinese(lang) ? it->second.zh : it->second.en;
}

std::string name_in(const std::string& lang, const std::string& name, const std::string& name_zh) {
  return kb_language_is_chinese(lang) && !name_zh.empty() ? name_zh : name;
}

std::string home_page(const Frame& f, const std::vector<services::KbCategorySummary>& structure,
                      const std::vector<services::KbEntry>& recent) {
  std::string body = "<div class=\"grid\">";
  for (const auto& c : structure) {
    body += "<section class=\"card\"><h2><a href=\"/help/" + esc(f.lang) + "/categories/" +
            std::to_string(c.category.id) + "\">" +
            esc(name_in(f.lang, c.category.name, c.category.name_zh)) + "</a></h2>";
    const auto description = name_in(f.lang, c.category.description, c.category.description_zh);
    if (!description.empty()) body += "<p class=\"muted\">" + esc(description) + "</p>";
    body += "<ul class=\"plain\">";
    for (const auto& s : c.sections)
      body += "<li><a href=\"/help/" + esc(f.lang) + "/sections/" + std::to_string(s.section.id) +
              "\">" + esc(name_in(f.lang, s.section.name, s.section.name_zh)) +
              "</a> <span class=\"muted\">" + std::to_string(s.articles) + " " +
              esc(word(f.lang, "articles")) + "</span></li>";
    body += "</ul></section>";
  }
  body += "</div>";
  body += "<section class=\"card\"><h2>" + esc(word(f.lang, "recent")) + "</h2>" +
          article_list(f, recent) + "</section>";
  return page(f, "", body);
}

std::string category_page(
    const Frame& f, const KbCategory& category,
    const std::vector<std::pair<KbSection, std::vector<services::KbEntry>>>& sections) {
  const auto name = name_in(f.lang, category.name, category.name_zh);
  std::string body = "<nav class=\"crumbs\"><a href=\"/help/" + esc(f.lang) + "\">" +
                     esc(word(f.lang, "home")) + "</a> › " + esc(name) + "</nav><h1>" + esc(name) +
                     "</h1>";
  for (const auto& [section, articles] : sections)
    body += "<section class=\"card\"><h2><a href=\"/help/" + esc(f.lang) + "/sections/" +
            std::to_string(section.id) + "\">" +
            esc(name_in(f.lang, section.name, section.name_zh)) + "</a></h2>" +
            article_list(f, articles) + "</section>";
  return page(f, name, body);
}

std::string section_page(const Frame& f, const KbCategory& category, const KbSection& section,
                         const std::vector<services::KbEntry>& articles) {
  const auto name = name_in(f.lang, section.name, section.name_zh);
  std::string body = "<nav class=\"crumbs\"><a href=\"/help/" + esc(f.lang) + "\">" +
                     esc(word(f.lang, "home")) + "</a> › <a href=\"/help/" + esc(f.lang) +
                     "/categories/" + std::to_string(category.id) + "\">" +
                     esc(name_in(f.lang, category.name, category.name_zh)) + "</a> › " + esc(name) +
                     "</nav><h1>" + esc(name) + "</h1>";
  const auto description = name_in(f.lang, section.description, section.description_zh);
  if (!description.empty()) body += "<p class=\"muted\">" + esc(description) + "</p>";
  body += "<div class=\"card\">" + article_list(f, articles) + "</div>";
  return page(f, name, body);
}

std::string article_page(const Frame& f, const ArticleView& view) {
  const auto& t = view.entry.translation;
  std::string body = "<nav class=\"crumbs\"><a href=\"/help/" + esc(f.lang) + "\">" +
                     esc(word(f.lang, "home")) + "</a>";
  if (view.category)
    body += " › <a href=\"/help/" + esc(f.lang) + "/categories/" +
            std::to_string(view.category->id) + "\">" +
            esc(name_in(f.lang, view.category->name, view.category->name_zh)) + "</a>";
  if (view.section)
    body += " › <a href=\"/help/" + esc(f.lang) + "/sections/" + std::to_string(view.section->id) +
            "\">" + esc(name_in(f.lang, view.section->name, view.section->name_zh)) + "</a>";
  body += "</nav>";
  if (view.fallback) body += "<p class=\"notice\">" + esc(word(f.lang, "fallback")) + "</p>";
  body += "<article class=\"card\" lang=\"" + esc(t.lang) + "\"><h1>" + esc(t.title) +
          "</h1><p class=\"muted\">" + esc(word(f.lang, "updated")) + " " + day_of(t.updated_at) +
          "</p>" + t.body_html + "</article>";
  if (!view.attachments.empty()) {
    body += "<section class=\"card\"><h2>" + esc(word(f.lang, "attachments")) +
            "</h2><ul class=\"plain\">";
    for (const auto& file : view.attachments)
      body += "<li><a href=\"" + kb_file_path(file.id) + "\">" + esc(file.filename) +
              "</a> <span class=\"muted\">" + size_text(file.size) + "</span></li>";
    body += "</ul></section>";
  }
  body += "<div class=\"card vote\">";
  if (view.voted) {
    body += esc(word(f.lang, "thanks"));
  } else {
    const std::string action =
        "/help/" + esc(f.lang) + "/articles/" + std::to_string(view.entry.article_id) + "/vote";
    body += esc(word(f.lang, "helpful"));
    for (const auto* choice : {"yes", "no"})
      body += "<form method=\"post\" action=\"" + action +
              "\"><input type=\"hidden\" name=\"helpful\" value=\"" + choice +
              "\"><button type=\"submit\">" + esc(word(f.lang, choice)) + "</button></form>";
  }
  body += "</div>";
  if (!view.related.empty())
    body += "<section class=\"card\"><h2>" + esc(word(f.lang, "related")) + "</h2>" +
            article_list(f, view.related) + "</section>";
  body += "<p><a href=\"/portal/tickets/new\">" + esc(word(f.lang, "submit_ticket")) + "</a></p>";
  return page(f, t.title, body);
}

std::string search_page(const Frame& f, const std::vector<services::KbEntry>& hits) {
  std::string body = "<h1>" + esc(word(f.lang, "results_for")) + " " + esc(f.query) + "</h1>";
  if (hits.empty()) body += "<p class=\"muted\">" + esc(word(f.lang, "no_results")) + "</p>";
  for (const auto& h : hits)
    // The snippet is escaped by search::snippet, with its <mark>s.
    body += "<div class=\"card\"><h2>" + article_link(f, h) + "</h2><p>" + h.snippet + "</p></div>";
  return page(f, std::string(word(f.lang, "search")), body);
}

std::string not_found_page(const Frame& f) {
  return page(f, "404",
              "<div class=\"card\"><h1>404</h1><p>" + esc(word(f.lang, "not_found")) +
                  "</p><p><a href=\"/help/" + esc(f.lang) + "\">" + esc(word(f.lang, "home")) +
                  "</a></p></div>");
}

std::string sitemap_xml(std::string_view base_url, const std::vector<std::string>& languages,
                        const std::vector<services::KbService::SitemapEntry>& entries) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
      "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
  const std::string base = esc(base_url);
  for (const auto& lang : languages)
    out += "<url><loc>" + base + "/help/" + esc(lang) + "</loc></url>\n";
  for (const auto& e : entries)
    out += "<url><loc>" + base + "/help/" + esc(e.lang) + "/articles/" +
           std::to_string(e.article_id) + "</loc><lastmod>" + day_of(e.updated_at) +
           "</lastmod></url>\n";
  return out + "</urlset>\n";
}

}  // namespace gongdan::api::help
