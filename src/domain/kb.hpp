// The knowledge base: categories hold sections, sections hold articles, and an article is
// written in one or more languages (a translation each, with its own state and versions). Who
// may read an article is its visibility; a translation is read outside the desk only once
// published. Pure: no I/O.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/clock.hpp"
#include "util/result.hpp"

namespace gongdan {

// Who may read an article.
enum class KbVisibility {
  kPublic,     // anyone, signed in or not
  kCustomers,  // people signed in (customers and agents)
  kAgents,     // agents only: never on the help centre for customers or anonymous readers
};
std::string_view kb_visibility_name(KbVisibility v);
std::optional<KbVisibility> parse_kb_visibility(std::string_view name);

// Where a translation is in its life: draft → in_review → published → archived.
enum class KbState { kDraft, kInReview, kPublished, kArchived };
std::string_view kb_state_name(KbState s);
std::optional<KbState> parse_kb_state(std::string_view name);
// The moves the workflow allows: forward one step (or draft straight to published), back to
// draft from any state, and unchanged.
bool kb_state_may_move(KbState from, KbState to);

// Who reads, for visibility: nobody signed in, a customer, an agent.
enum class KbReader { kAnonymous, kCustomer, kAgent };
bool kb_visible_to(KbVisibility v, KbReader reader);
// The visibilities a reader sees, for queries.
std::vector<std::string_view> kb_visibilities_for(KbReader reader);

// The languages articles may be written in, by their canonical tags: zh-CN, en, zh-TW, ja, ko,
// fr, de, es. Which of them the help centre and the editor offer, and in what order, is the
// help centre's setting (HelpSetting::languages, zh-CN and en unless an admin says otherwise).
std::span<const std::string_view> kb_languages();
// A language's own name for itself: 简体中文, English, 日本語 …
std::string_view kb_language_name(std::string_view lang);
bool kb_language_is_chinese(std::string_view lang);
// A language tag as readers and agents give it (zh, zh-cn, zh-Hans, zh-HK, en-US, ja-JP …) in
// its canonical spelling, or none when it is not one of kb_languages().
std::optional<std::string> parse_kb_language(std::string_view tag);
// The language of `enabled` for a tag: its own, else, for Chinese, the other Chinese; none when
// neither is enabled.
std::optional<std::string> kb_language_among(std::string_view tag,
                                             std::span<const std::string> enabled);
// The best of `enabled` for an Accept-Language header; `fallback` when none of them is asked for.
std::string kb_language_from_accept(std::string_view accept_language,
                                    std::span<const std::string> enabled,
                                    std::string_view fallback);

// The largest Markdown body an article translation takes, in bytes.
inline constexpr std::size_t kKbMaxBodyBytes = 256 * 1024;
inline constexpr std::size_t kKbMaxTitleBytes = 300;
// The largest file (an image or an attachment) an article takes, in bytes.
inline constexpr std::size_t kKbMaxFileBytes = 5 * 1024 * 1024;
// The widest or tallest image an article takes, in pixels (a small file may say it is huge:
// browsers would decode it all).
inline constexpr std::uint32_t kKbMaxImageSide = 8000;
// How far ahead publishing can be scheduled.
inline constexpr Millis kKbMaxScheduleMillis = 10LL * 366 * 86'400'000;

struct KbCategory {
  std::int64_t id = 0;
  std::string name;  // English
  std::string name_zh;
  std::string description;
  std::string description_zh;
  std::int64_t position = 0;
  std::optional<std::int64_t> department_id;  // none: the whole company's
  Millis created_at = 0;
  Millis updated_at = 0;
};

struct KbSection {
  std::int64_t id = 0;
  std::int64_t category_id = 0;
  std::string name;
  std::string name_zh;
  std::string description;
  std::string description_zh;
  std::int64_t position = 0;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// An article's shell: where it is filed and who may read it. Its words are its translations;
// `title` and `translations` are a summary of them the server keeps (the source language's
// title; each language's state, version and title) so lists need no second read.
struct KbArticle {
  std::int64_t id = 0;
  std::int64_t section_id = 0;
  KbVisibility visibility = KbVisibility::kPublic;
  std::vector<std::string> tags;
  std::int64_t position = 0;
  std::string title;
  boost::json::value translations = boost::json::array{};
  Millis created_at = 0;
  Millis updated_at = 0;
};

// One language of an article. `body` is Markdown; `body_html` is what it renders to, made safe,
// and `body_text` its plain text (search and snippets), both kept beside it.
struct KbTranslation {
  std::int64_t id = 0;
  std::int64_t article_id = 0;
  std::string lang;
  std::string title;
  std::string body;
  std::string body_html;
  std::string body_text;
  KbState state = KbState::kDraft;
  std::int64_t version = 0;
  std::optional<std::int64_t> author_id;
  std::optional<Millis> published_at;
  std::optional<Millis> publish_at;  // scheduled: a job publishes it then (draft or in review)
  Millis text_updated_at = 0;        // when the title or body last changed
  Millis created_at = 0;
  Millis updated_at = 0;
  std::int64_t views = 0;
  std::int64_t helpful = 0;
  std::int64_t unhelpful = 0;
};

// Every saved state of a translation, numbered from 1.
struct KbVersion {
  std::int64_t id = 0;
  std::int64_t translation_id = 0;
  std::int64_t version = 0;
  std::string title;
  std::string body;
  KbState state = KbState::kDraft;
  std::optional<std::int64_t> author_id;
  std::string author_name;  // who saved it, as the desk shows them (empty: removed since)
  Millis created_at = 0;
};

// The help centre's look and languages (the resource help-settings, one row): the company's
// name before "Help Centre", its logo and colour, and the languages offered, the first the
// default.
struct HelpSetting {
  std::int64_t id = 0;
  std::string company_name;  // empty: the server's company_name
  std::string logo_url;      // https://… or an article's image, /help-files/<id>; empty: none
  std::string colour = "#1d4ed8";
  std::vector<std::string> languages = {"zh-CN", "en"};
  Millis updated_at = 0;
};
// What is wrong with a setting's values (kInvalidArgument naming the field); the languages come
// back in their canonical spelling.
Result<void> check_help_setting(HelpSetting& s);

// A file uploaded with an article: an image its Markdown shows inline (![…](/help-files/12)) or
// a document it links to. The bytes are in the attachment store, named by their SHA-256; who may
// read them is the article's visibility (help centre readers) or any agent (drafts too).
struct KbFile {
  std::int64_t id = 0;
  std::int64_t article_id = 0;
  std::string sha256;
  std::string filename;
  std::string content_type;  // detected from the bytes
  std::int64_t size = 0;
  std::optional<std::int64_t> uploaded_by;
  Millis created_at = 0;
};
// Where readers get a file: "/help-files/12" (the sanitiser keeps exactly such paths in an
// article's images and links).
std::string kb_file_path(std::int64_t file_id);
inline constexpr std::string_view kKbFilePathPrefix = "/help-files/";
// Images a browser shows inline in an article; other files are listed as attachments.
bool kb_file_is_image(std::string_view content_type);

// The article's summary of its translations (KbArticle::translations): each one's language,
// state, version, title, times and whether it is outdated: its words older than the source's
// (the first translation written, the first in `translations`).
boost::json::value kb_translation_summary(std::span<const KbTranslation> translations);

}  // namespace gongdan
