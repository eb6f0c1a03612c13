#include "store/postgres/pg_search_index.hpp"

#include "store/postgres/pg_search_blocks.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gongdan::store {

using PgSearchIndex = EngineSearchIndex<Engine::kPostgres>;

namespace {

// A lexeme quoted for to_tsquery: 'it''s' keeps any punctuation literal.
std::string ts_lexeme(std::string_view word) {
  std::string out = "'";
  for (char ch : word) {
    if (ch == '\'') out += '\'';
    if (ch == '\\') out += '\\';
    out += ch;
  }
  out += '\'';
  return out;
}

// `"a b c"` → ('a' <-> 'b' <-> 'c'); a trailing * makes the last word a prefix.
std::string ts_phrase(std::string_view inner, bool prefix) {
  std::vector<std::string> words;
  std::string word;
  for (char ch : inner) {
    if (ch == ' ') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += ch;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  if (words.empty()) return {};
  std::string out = "(";
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out += " <-> ";
    out += ts_lexeme(words[i]);
    if (prefix && i + 1 == words.size()) out += ":*";
  }
  return out + ")";
}

}  // namespace

std::string tsquery_from_fts(std::string_view match) {
  std::string out;
  std::size_t i = 0;
  while (i < match.size()) {
    const char ch = match[i];
    if (ch == ' ') {
      ++i;
    } else if (ch == '(' || ch == ')') {
      out += ch;
      ++i;
    } else if (ch == '"') {
      std::string inner;
      ++i;
      while (i < match.size()) {
        if (match[i] == '"') {
          if (i + 1 < match.size() && match[i + 1] == '"') {
            inner += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        inner += match[i++];
      }
      const bool prefix = i < match.size() && match[i] == '*';
      if (prefix) ++i;
      out += ts_phrase(inner, prefix);
    } else {
      std::size_t end = i;
      while (end < match.size() && match[end] != ' ' && match[end] != '(' && match[end] != ')')
        ++end;
      const auto word = match.substr(i, end - i);
      if (word == "AND")
        out += " & ";
      else if (word == "OR")
        out += " | ";
      else if (word == "NOT")
        out += " & ! ";
      else
        out += ts_phrase(word, false);
      i = end;
    }
  }
  return out;
}

template <>
Result<void> PgSearchIndex::index_ticket(Connection& c, std::int64_t ticket_id,
                                         std::string_view subject, std::string_view tags) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO ticket_fts (ticket_id, doc) VALUES "
                               "(?, to_tsvector('gongdan', ? || ' ' || ?) || "
                               "array_to_tsvector(CAST(? AS TEXT[]))) "
                               "ON CONFLICT (ticket_id) DO UPDATE SET doc = excluded.doc"));
  return q.bind(ticket_id, subject, tags, block_lexemes(ticket_id)).run_later();
}

template <>
Result<void> PgSearchIndex::unindex_ticket(Connection& c, std::int64_t ticket_id, std::string_view,
                                           std::string_view) {
  return run(c, "DELETE FROM ticket_fts WHERE ticket_id = ?", ticket_id);
}

template <>
Result<void> PgSearchIndex::index_message(Connection& c, std::int64_t message_id,
                                          std::string_view body) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO message_fts (message_id, doc) VALUES "
                               "(?, to_tsvector('gongdan', ?) || "
                               "array_to_tsvector(CAST(? AS TEXT[]))) "
                               "ON CONFLICT (message_id) DO UPDATE SET doc = excluded.doc"));
  return q.bind(message_id, body, block_lexemes(message_id)).run_later();
}

template <>
Result<void> PgSearchIndex::unindex_message(Connection& c, std::int64_t message_id,
                                            std::string_view) {
  return run(c, "DELETE FROM message_fts WHERE message_id = ?", message_id);
}

template <>
Result<void> PgSearchIndex::index_contact(Connection& c, std::int64_t user_id,
                                          std::string_view text) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO contact_fts (user_id, doc) VALUES "
                               "(?, to_tsvector('gongdan', ?)) "
                               "ON CONFLICT (user_id) DO UPDATE SET doc = excluded.doc"));
  return q.bind(user_id, text).run_later();
}

template <>
Result<void> PgSearchIndex::unindex_contact(Connection& c, std::int64_t user_id, std::string_view) {
  return run(c, "DELETE FROM contact_fts WHERE user_id = ?", user_id);
}

template <>
Result<std::vector<std::int64_t>> PgSearchIndex::search_contacts(Connection& c,
                                                                 std::string_view match,
                                                                 int limit) {
  const auto ts = tsquery_from_fts(match);
  if (ts.empty()) return std::vector<std::int64_t>{};
  // As for tickets: the newest contacts in id order answer a common word; the index answers
  // the rest (in id order, a word no contact has would read every one of them: 11 ms at 56,000).
  GONGDAN_ASSIGN(auto recent, query(c,
                                    "SELECT user_id FROM (SELECT user_id, doc FROM contact_fts "
                                    "ORDER BY user_id DESC LIMIT 2000) r WHERE doc @@ "
                                    "to_tsquery('gongdan', ?) ORDER BY user_id DESC LIMIT ?"));
  recent.bind(ts, limit);
  GONGDAN_ASSIGN(auto ids, read_ids(recent));
  if (static_cast<int>(ids.size()) >= limit) return ids;
  return select_ids(c,
                    "SELECT user_id FROM contact_fts WHERE doc @@ to_tsquery('gongdan', ?) ORDER "
                    "BY user_id + 0 DESC LIMIT ?",
                    ts, limit);
}

template <>
Result<void> PgSearchIndex::index_article(Connection& c, std::int64_t translation_id,
                                          std::string_view lang, std::string_view title,
                                          std::string_view body) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO kb_fts (translation_id, lang, doc) VALUES "
                               "(?, ?, setweight(to_tsvector('gongdan', ?), 'A') || "
                               "setweight(to_tsvector('gongdan', ?), 'D')) "
                               "ON CONFLICT (translation_id) DO UPDATE SET lang = excluded.lang, "
                               "doc = excluded.doc"));
  return q.bind(translation_id, lang, title, body).run();
}

template <>
Result<void> PgSearchIndex::unindex_article(Connection& c, std::int64_t translation_id,
                                            std::string_view, std::string_view, std::string_view) {
  return run(c, "DELETE FROM kb_fts WHERE translation_id = ?", translation_id);
}

template <>
Result<std::vector<std::int64_t>> PgSearchIndex::search_articles(Connection& c,
                                                                 std::string_view match,
                                                                 std::string_view lang, int limit) {
  const auto ts = tsquery_from_fts(match);
  if (ts.empty()) return std::vector<std::int64_t>{};
  // ts_rank weighs the title ('A') above the body ('D'), like FTS5's bm25 weights; as there,
  // only the newest 400 matches are ranked (ranking every match of a common word is most of
  // the work).
  return select_ids(c,
                    "SELECT translation_id FROM (SELECT translation_id, doc FROM kb_fts "
                    "WHERE lang = ? AND doc @@ to_tsquery('gongdan', ?) "
                    "ORDER BY translation_id DESC LIMIT 400) w, to_tsquery('gongdan', ?) AS q "
                    "ORDER BY ts_rank(w.doc, q) DESC, translation_id DESC LIMIT ?",
                    lang, ts, ts, limit);
}

namespace {

constexpr FtsTable kTicketFts{"ticket_fts", "ticket_id"};
constexpr FtsTable kMessageFts{"message_fts", "message_id"};

}  // namespace

template <>
Result<std::vector<TextHit>> PgSearchIndex::search(Connection& c, std::string_view match,
                                                   int window) {
  std::vector<TextHit> hits;
  const auto ts = tsquery_from_fts(match);
  if (ts.empty()) return hits;
  GONGDAN_ASSIGN(auto tickets, newest_matches(c, kTicketFts, ts, window));
  for (auto id : tickets) hits.push_back(TextHit{id, 0, false, 0.0});
  GONGDAN_ASSIGN(auto messages, newest_matches(c, kMessageFts, ts, window));
  if (messages.empty()) return hits;
  std::string list = "{";
  for (auto id : messages) list += (list.size() > 1 ? "," : "") + std::to_string(id);
  list += "}";
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT ticket_id, id, internal FROM messages WHERE id = "
                               "ANY(CAST(? AS BIGINT[])) ORDER BY id DESC"));
  q.bind(list);
  GONGDAN_TRY(append_message_hits(q, hits));
  return hits;
}

template <>
Result<std::vector<std::int64_t>> PgSearchIndex::similar_tickets(Connection& c,
                                                                 std::string_view match, int window,
                                                                 int limit) {
  const auto ts = tsquery_from_fts(match);
  if (ts.empty()) return std::vector<std::int64_t>{};
  GONGDAN_ASSIGN(auto newest, newest_matches(c, kTicketFts, ts, window));
  if (newest.empty()) return newest;
  std::string list = "{";
  for (auto id : newest) list += (list.size() > 1 ? "," : "") + std::to_string(id);
  list += "}";
  // ts_rank stands in for FTS5's bm25: both weigh rarer words and more of them higher.
  return select_ids(c,
                    "SELECT ticket_id FROM ticket_fts, to_tsquery('gongdan', ?) AS q "
                    "WHERE ticket_id = ANY(CAST(? AS BIGINT[])) "
                    "ORDER BY ts_rank(doc, q) DESC, ticket_id DESC LIMIT ?",
                    ts, list, limit);
}

std::unique_ptr<SearchIndex> pg_search_index() { return std::make_unique<PgSearchIndex>(); }

}  // namespace gongdan::store
