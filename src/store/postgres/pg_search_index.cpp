#include "store/postgres/pg_search_index.hpp"

namespace gongdan::store {
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

Result<void> PgSearchIndex::index_ticket(Connection& c, std::int64_t ticket_id,
                                         std::string_view subject, std::string_view tags) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO ticket_fts (ticket_id, doc) VALUES "
                               "(?, to_tsvector('gongdan', ? || ' ' || ?)) "
                               "ON CONFLICT (ticket_id) DO UPDATE SET doc = excluded.doc"));
  return q.bind(ticket_id, subject, tags).run_later();
}

Result<void> PgSearchIndex::unindex_ticket(Connection& c, std::int64_t ticket_id, std::string_view,
                                           std::string_view) {
  GONGDAN_ASSIGN(auto q, query(c, "DELETE FROM ticket_fts WHERE ticket_id = ?"));
  return q.bind(ticket_id).run();
}

Result<void> PgSearchIndex::index_message(Connection& c, std::int64_t message_id,
                                          std::string_view body) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO message_fts (message_id, doc) VALUES "
                               "(?, to_tsvector('gongdan', ?)) "
                               "ON CONFLICT (message_id) DO UPDATE SET doc = excluded.doc"));
  return q.bind(message_id, body).run_later();
}

Result<void> PgSearchIndex::index_contact(Connection& c, std::int64_t user_id,
                                          std::string_view text) {
  GONGDAN_ASSIGN(auto q, query(c,
                               "INSERT INTO contact_fts (user_id, doc) VALUES "
                               "(?, to_tsvector('gongdan', ?)) "
                               "ON CONFLICT (user_id) DO UPDATE SET doc = excluded.doc"));
  return q.bind(user_id, text).run_later();
}

Result<void> PgSearchIndex::unindex_contact(Connection& c, std::int64_t user_id, std::string_view) {
  GONGDAN_ASSIGN(auto q, query(c, "DELETE FROM contact_fts WHERE user_id = ?"));
  return q.bind(user_id).run();
}

Result<std::vector<std::int64_t>> PgSearchIndex::search_contacts(Connection& c,
                                                                 std::string_view match,
                                                                 int limit) {
  const auto ts = tsquery_from_fts(match);
  if (ts.empty()) return std::vector<std::int64_t>{};
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT user_id FROM contact_fts WHERE doc @@ "
                               "to_tsquery('gongdan', ?) ORDER BY user_id DESC LIMIT ?"));
  q.bind(ts, limit);
  return read_ids(q);
}

// A common word is GIN's slow case: every document holding its terms is a candidate, and a
// phrase (CJK words are phrases of bigrams) is rechecked row by row, so at a million tickets a
// search for a word in 4 % of three million messages read 76,000 pages (430 ms). The newest
// documents come first anyway: they are read in primary-key order, the newest few thousand and
// then a few tens of thousands, and only when too few of those match does the GIN index answer
// (the word is rare then, and its candidates few). Each step's answer is exactly the newest
// matches, so the result is the one the index alone would give.
constexpr int kRecentSteps[] = {4'000, 64'000};

Result<std::vector<TextHit>> PgSearchIndex::search(Connection& c, std::string_view match,
                                                   int window) {
  std::vector<TextHit> hits;
  const auto ts = tsquery_from_fts(match);
  if (ts.empty()) return hits;
  {
    std::vector<std::int64_t> ids;
    for (int recent : kRecentSteps) {
      GONGDAN_ASSIGN(auto q, query(c,
                                   "SELECT ticket_id FROM (SELECT ticket_id, doc FROM ticket_fts "
                                   "ORDER BY ticket_id DESC LIMIT ?) r WHERE doc @@ "
                                   "to_tsquery('gongdan', ?) ORDER BY ticket_id DESC LIMIT ?"));
      q.bind(recent, ts, window);
      GONGDAN_ASSIGN(ids, read_ids(q));
      if (static_cast<int>(ids.size()) >= window) break;
    }
    if (static_cast<int>(ids.size()) < window) {
      // `+ 0`: the primary key's order must not tempt the planner into reading every row for a
      // word it wrongly thinks common (a phrase's estimate is a guess); the index answers.
      GONGDAN_ASSIGN(auto q, query(c,
                                   "SELECT ticket_id FROM ticket_fts WHERE doc @@ "
                                   "to_tsquery('gongdan', ?) ORDER BY ticket_id + 0 DESC LIMIT ?"));
      q.bind(ts, window);
      GONGDAN_ASSIGN(ids, read_ids(q));
    }
    for (auto id : ids) hits.push_back(TextHit{id, 0, false, 0.0});
  }
  const std::size_t subject_hits = hits.size();
  for (int recent : kRecentSteps) {
    hits.resize(subject_hits);
    GONGDAN_ASSIGN(auto q, query(c,
                                 "SELECT m.ticket_id, f.message_id, m.internal FROM "
                                 "(SELECT message_id FROM (SELECT message_id, doc FROM "
                                 "message_fts ORDER BY message_id DESC LIMIT ?) r WHERE doc @@ "
                                 "to_tsquery('gongdan', ?) ORDER BY message_id DESC LIMIT ?) f "
                                 "JOIN messages m ON m.id = f.message_id "
                                 "ORDER BY f.message_id DESC"));
    q.bind(recent, ts, window);
    GONGDAN_TRY(append_message_hits(q, hits));
    if (static_cast<int>(hits.size() - subject_hits) >= window) return hits;
  }
  hits.resize(subject_hits);
  GONGDAN_ASSIGN(auto q, query(c,
                               "SELECT m.ticket_id, f.message_id, m.internal FROM "
                               "(SELECT message_id FROM message_fts WHERE doc @@ "
                               "to_tsquery('gongdan', ?) ORDER BY message_id + 0 DESC LIMIT ?) f "
                               "JOIN messages m ON m.id = f.message_id "
                               "ORDER BY f.message_id DESC"));
  q.bind(ts, window);
  GONGDAN_TRY(append_message_hits(q, hits));
  return hits;
}

}  // namespace gongdan::store
