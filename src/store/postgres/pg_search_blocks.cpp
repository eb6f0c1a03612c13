#include "store/postgres/pg_search_blocks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

namespace gongdan::store {

std::string block_lexemes(std::int64_t id) {
  std::string out = "{~" + std::to_string(id >> kSearchBucketShift);
  for (int shift : kSearchBlockShifts) out += fmt::format(",~{}_{}", shift, id >> shift);
  return out + "}";
}

std::string buckets_query(std::int64_t low, std::int64_t high) {
  std::string out;
  for (auto top = high; top >= low;) {
    // The largest block that ends at `top` and starts no lower than `low`.
    std::string lexeme = "~" + std::to_string(top);
    std::int64_t start = top;
    for (int shift : kSearchBlockShifts) {
      const std::int64_t size = std::int64_t{1} << (shift - kSearchBucketShift);
      if ((top + 1) % size != 0 || top + 1 - size < low) break;
      start = top + 1 - size;
      lexeme = fmt::format("~{}_{}", shift, top >> (shift - kSearchBucketShift));
    }
    out += (out.empty() ? "'" : " | '") + lexeme + "'";
    top = start - 1;
  }
  return out;
}

namespace {

constexpr int kRecent = 4'000;

// Searches one table a range of buckets at a time. Two `@@` conditions, not one tsquery: GIN
// then skips through the words' posting lists to the range's documents instead of walking
// every document of the range.
class BlockSearch {
 public:
  BlockSearch(Connection& c, const FtsTable& t, const std::string& ts) : c_(c), t_(t), ts_(ts) {}

  // Appends the newest `need` matches among buckets low..high to `out`, newest first.
  Result<void> newest(std::int64_t low, std::int64_t high, std::size_t need,
                      std::vector<std::int64_t>& out) {
    // First any need + 1 of them, in row order: rows stop being read once that many are found,
    // where sorting by id would read every match of the range.
    GONGDAN_ASSIGN(auto some, look(kAnyOf, low, high, need + 1));
    if (some.size() <= need) {
      std::sort(some.begin(), some.end(), std::greater<>());
      out.insert(out.end(), some.begin(), some.end());
      return {};
    }
    // More than needed: the range is read from its newest end in id order, one bucket, then
    // two, four, … until the window is full, so rows are read only where the newest lie. (Row
    // order says nothing of ids here: updated and new documents fill space freed anywhere.)
    std::int64_t buckets = 1;
    while (need > 0 && high >= low) {
      const std::int64_t split = std::max(low, high - buckets + 1);
      GONGDAN_ASSIGN(auto newest, look(kNewestOf, split, high, need));
      out.insert(out.end(), newest.begin(), newest.end());
      need -= newest.size();
      high = split - 1;
      buckets *= 2;
    }
    return {};
  }

 private:
  // A CTE the planner cannot see through: without it, the LIMIT tempts it into a sequential scan
  // that reads the table until enough rows match, seconds for a rare word.
  static constexpr const char* kAnyOf =
      "WITH m AS MATERIALIZED (SELECT {1} FROM {0} WHERE doc @@ to_tsquery('gongdan', ?) AND "
      "doc @@ CAST(? AS tsquery)) SELECT {1} FROM m LIMIT ?";
  // `+ 0`: the primary key's order must not tempt the planner into reading rows in id order.
  static constexpr const char* kNewestOf =
      "SELECT {1} FROM {0} WHERE doc @@ to_tsquery('gongdan', ?) AND doc @@ CAST(? AS tsquery) "
      "ORDER BY {1} + 0 DESC LIMIT ?";

  Result<std::vector<std::int64_t>> look(const char* sql, std::int64_t low, std::int64_t high,
                                         std::size_t limit) {
    GONGDAN_ASSIGN(auto q, query(c_, fmt::format(fmt::runtime(sql), t_.table, t_.id)));
    q.bind(ts_, buckets_query(low, high), static_cast<std::int64_t>(limit));
    return read_ids(q);
  }

  Connection& c_;
  const FtsTable& t_;
  const std::string& ts_;
};

}  // namespace

// The newest few thousand documents come first: read in primary-key order, they answer a common
// word at once. When too few of them match (the word is rare, or common only in older tickets),
// ranges of buckets are asked from the newest, each twice the last, so a rare word takes a few
// index lookups and a word common only in older tickets stops in the first range that reaches
// them. The index reads every match of the ranges it is asked about, so a range is no larger
// than all the newer ones together: a word common only in older tickets costs about twice what
// the window needs. Each range's answer is
// exactly its newest matches, so the result is the one the index alone would give.
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
  BlockSearch search(c, t, ts);
  const auto wanted = static_cast<std::size_t>(window);
  for (std::int64_t size = 1; bucket >= 0 && ids.size() < wanted; size *= 2) {
    const std::int64_t low = std::max<std::int64_t>(0, bucket - size + 1);
    GONGDAN_TRY(search.newest(low, bucket, wanted - ids.size(), ids));
    bucket = low - 1;
  }
  return ids;
}

}  // namespace gongdan::store
