#include "store/postgres/pg_search_index.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gongdan::store {
namespace {

// The bucket's lexeme (kSearchBucketShift): in a search the posting lists meet inside the index
// and only the matching rows of those buckets are read.
std::string bucket_lexeme(std::int64_t id) {
  return "~" + std::to_string(id >> kSearchBucketShift);
}

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
                               "(?, to_tsvector('gongdan', ? || ' ' || ?) || "
                               "array_to_tsvector(ARRAY[CAST(? AS TEXT)])) "
                               "ON CONFLICT (ticket_id) DO UPDATE SET doc = excluded.doc"));
  return q.bind(ticket_id, subject, tags, bucket_lexeme(ticket_id)).run_later();
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
                               "(?, to_tsvector('gongdan', ?) || "
                               "array_to_tsvector(ARRAY[CAST(? AS TEXT)])) "
                               "ON CONFLICT (message_id) DO UPDATE SET doc = excluded.doc"));
  return q.bind(message_id, body, bucket_lexeme(message_id)).run_later();
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

// A common word is GIN's slow case: every document holding its terms is a candidate, read row by
// row, so at a million tickets a search for a word in 4 % of three million messages read 76,000
// pages (430 ms). The newest documents come first anyway: the newest few thousand are read in
// primary-key order. When too few of those match (the word is rare, or common only in older
// tickets), GIN answers bucket by bucket from the newest (see bucket_lexeme), so a common word
// stops after a bucket or two and a rare one after a few index lookups. Each step's answer is
// exactly the newest matches of its documents, so the result is the one the index alone would
// give.
namespace {

constexpr int kRecent = 4'000;

struct FtsTable {
  const char* table;
  const char* id;
};
constexpr FtsTable kTicketFts{"ticket_fts", "ticket_id"};
constexpr FtsTable kMessageFts{"message_fts", "message_id"};

// The ids of the newest `window` documents of `t` matching `ts`, newest first.
Result<std::vector<std::int64_t>> newest_matches(Connection& c, const FtsTable& t,
                                                 const std::string& ts, int window) {
  std::vector<std::int64_t> ids;
  {
    GONGDAN_ASSIGN(auto q,
                   query(c, fmt::format("SELECT {1} FROM (SELECT {1}, doc FROM {0} ORDER "
                                        "BY {1} DESC LIMIT ?) r WHERE doc @@ "
                                        "to_tsquery('gongdan', ?) ORDER BY {1} DESC LIMIT ?",
                                        t.table, t.id)));
    q.bind(kRecent, ts, window);
    GONGDAN_ASSIGN(ids, read_ids(q));
    if (static_cast<int>(ids.size()) >= window) return ids;
  }
  GONGDAN_ASSIGN(auto top_q,
                 query(c, fmt::format("SELECT COALESCE(MAX({1}), 0) FROM {0}", t.table, t.id)));
  GONGDAN_ASSIGN(bool row, top_q.next());
  std::int64_t bucket = row ? top_q.integer(0) >> kSearchBucketShift : 0;
  ids.clear();
  // `+ 0`: the primary key's order must not tempt the planner into reading rows in id order for
  // a word it wrongly thinks common (a phrase's estimate is a guess); the index answers.
  const std::string sql = fmt::format(
      "SELECT {1} FROM {0} WHERE doc @@ (to_tsquery('gongdan', ?) && CAST(? AS tsquery)) ORDER BY "
      "{1} + 0 DESC LIMIT ?",
      t.table, t.id);
  // One bucket, then two, four, …: each look reads the words' posting lists again, so a rare
  // word needs few of them, and a word common in older tickets stops in the first group that
  // reaches them, having read only that group's matches.
  for (std::int64_t group = 1; bucket >= 0 && static_cast<int>(ids.size()) < window; group *= 2) {
    const std::int64_t low = std::max<std::int64_t>(0, bucket - group + 1);
    std::string buckets;
    for (auto b = bucket; b >= low; --b)
      buckets += (buckets.empty() ? "'~" : " | '~") + std::to_string(b) + "'";
    GONGDAN_ASSIGN(auto q, query(c, sql));
    q.bind(ts, buckets, window - static_cast<int>(ids.size()));
    GONGDAN_ASSIGN(auto more, read_ids(q));
    ids.insert(ids.end(), more.begin(), more.end());
    bucket = low - 1;
  }
  return ids;
}

}  // namespace

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

}  // namespace gongdan::store
