// Full-text search on PostgreSQL: one tsvector per ticket (subject and tags), message and
// contact, in the `gongdan` text search configuration (see PostgresDatabase::dialect_ddl).
// Queries arrive as FTS5 expressions (search::fts_match) and are translated to tsquery.
#pragma once

#include <memory>
#include <string>

#include "store/search_index.hpp"

namespace gongdan::store {

// An FTS5 match expression ("a b" phrases, "x"* prefixes, AND / OR / NOT, parentheses) as the
// equivalent tsquery text; empty when nothing searchable is left.
std::string tsquery_from_fts(std::string_view match);

std::unique_ptr<SearchIndex> pg_search_index();

}  // namespace gongdan::store
