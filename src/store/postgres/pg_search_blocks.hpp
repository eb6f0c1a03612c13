// Newest-first full-text search on PostgreSQL at millions of documents. GIN returns a word's
// matches in row order, all of them, so "the newest 500 matches" costs every match, read row by
// row, unless the search names which documents to look among. Every search document therefore
// also holds lexemes for its id's block at four sizes: "~47" (ids 47·2^14 to 48·2^14 - 1),
// "~17_5" (2^17 ids), "~20_0" (2^20) and "~23_0" (2^23). No text can produce them ('~' separates
// words). Migration 12 added the first to documents indexed before, migration 13 the others.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace gongdan::store {

inline constexpr int kSearchBucketShift = 14;
inline constexpr int kSearchBlockShifts[] = {17, 20, 23};
// The search indexes' gin_pending_list_limit (kB): small, since every scan reads the list.
inline constexpr int kSearchPendingListKb = 256;

// The lexemes a document with this id holds, as a PostgreSQL text array literal.
std::string block_lexemes(std::int64_t id);

// The buckets (ids >> kSearchBucketShift) low to high as a tsquery that ORs as few lexemes as
// the block sizes allow.
std::string buckets_query(std::int64_t low, std::int64_t high);

struct FtsTable {
  const char* table;
  const char* id;
};

// The ids of the newest `window` documents of `t` matching the tsquery `ts`, newest first.
Result<std::vector<std::int64_t>> newest_matches(Connection& c, const FtsTable& t,
                                                 const std::string& ts, int window);

}  // namespace gongdan::store
