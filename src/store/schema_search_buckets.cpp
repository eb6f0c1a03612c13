#include "store/schema.hpp"

namespace gongdan::store {

// PostgreSQL's search documents gain their id's bucket lexeme (pg_search_index.cpp), so a search
// can ask GIN for a few buckets' matches at a time instead of reading every match of a word
// common only in older tickets. SQLite's FTS5 needs nothing. Rewrites both tables once.
std::string_view search_buckets_schema() {
  return R"sql(
{{fts_buckets}}
)sql";
}

// Documents gain lexemes for their id's larger blocks (pg_search_blocks.hpp), so a search names
// a range of buckets with a few lexemes instead of one per bucket, and the search indexes keep
// a short pending list. Rewrites both tables once.
std::string_view search_blocks_schema() {
  return R"sql(
{{fts_blocks}}
)sql";
}

}  // namespace gongdan::store
