#include "store/schema.hpp"

namespace gongdan::store {

// Issue 18: the knowledge base. Categories hold sections, sections hold articles; an article's
// words are its translations (one per language, each with its own state), and every saved state
// of a translation is kept in kb_versions. kb_fts indexes published translations only.
// kb_deflections counts articles a customer opened from the portal's suggestions.
std::string_view kb_schema_sql() {
  return R"sql(
CREATE TABLE kb_categories (
  id {{id}},
  name TEXT NOT NULL,
  name_zh TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  description_zh TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL DEFAULT 0,
  department_id INTEGER REFERENCES departments (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE kb_sections (
  id {{id}},
  category_id INTEGER NOT NULL REFERENCES kb_categories (id),
  name TEXT NOT NULL,
  name_zh TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  description_zh TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX kb_sections_by_category ON kb_sections (category_id, position);
CREATE TABLE kb_articles (
  id {{id}},
  section_id INTEGER NOT NULL REFERENCES kb_sections (id),
  visibility TEXT NOT NULL DEFAULT 'public',
  tags TEXT NOT NULL DEFAULT '[]',
  position INTEGER NOT NULL DEFAULT 0,
  title TEXT NOT NULL DEFAULT '',
  translations TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX kb_articles_by_section ON kb_articles (section_id, position);
CREATE TABLE kb_translations (
  id {{id}},
  article_id INTEGER NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
  lang TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  body_html TEXT NOT NULL,
  body_text TEXT NOT NULL,
  state TEXT NOT NULL,
  version INTEGER NOT NULL,
  author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  published_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  views INTEGER NOT NULL DEFAULT 0,
  helpful INTEGER NOT NULL DEFAULT 0,
  unhelpful INTEGER NOT NULL DEFAULT 0,
  UNIQUE (article_id, lang)
);
CREATE INDEX kb_translations_by_state ON kb_translations (lang, state, article_id);
CREATE TABLE kb_versions (
  id {{id}},
  translation_id INTEGER NOT NULL REFERENCES kb_translations (id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL,
  author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (translation_id, version)
);
CREATE TABLE kb_deflections (
  id {{id}},
  article_id INTEGER NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
  lang TEXT NOT NULL,
  user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
  query TEXT NOT NULL DEFAULT '',
  ticket_id INTEGER REFERENCES tickets (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX kb_deflections_by_time ON kb_deflections (created_at);
{{fts_kb}}
)sql";
}

// Migration 31: when a translation is to be published by itself (a job does it then), and when
// its title or body last changed (a translation whose words are older than its source's is
// outdated; until now every save was taken as a change of words).
std::string_view kb_schedule_schema_sql() {
  return R"sql(
ALTER TABLE kb_translations ADD COLUMN publish_at INTEGER;
ALTER TABLE kb_translations ADD COLUMN text_updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE kb_translations SET text_updated_at = updated_at;
)sql";
}

// Migration 41: files uploaded with an article (images its Markdown shows, documents it links
// to; the bytes are in the attachment store by SHA-256, like a ticket's attachments, and the row
// goes with its article), and the help centre's setting (one row: name, logo, colour, languages).
std::string_view kb_files_schema_sql() {
  return R"sql(
CREATE TABLE kb_files (
  id {{id}},
  article_id INTEGER NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  uploaded_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX kb_files_by_article ON kb_files (article_id, id);
CREATE INDEX kb_files_by_sha256 ON kb_files (sha256);
CREATE TABLE help_settings (
  id {{id}},
  company_name TEXT NOT NULL DEFAULT '',
  logo_url TEXT NOT NULL DEFAULT '',
  colour TEXT NOT NULL DEFAULT '#1d4ed8',
  languages TEXT NOT NULL DEFAULT '["zh-CN","en"]',
  updated_at INTEGER NOT NULL DEFAULT 0
);
INSERT INTO help_settings (company_name) VALUES ('');
)sql";
}

}  // namespace gongdan::store
