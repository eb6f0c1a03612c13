// FTS5 implementation of SearchIndex: contentless tables ticket_fts(subject, tags) and
// message_fts(body) keyed by ticket and message id, with the porter + unicode61 tokenizer.
// Searching reads the newest matches by rowid, which FTS5 does lazily. bm25 is not used: it
// counts every row that holds each phrase (a full doclist scan, 10+ ms for a common CJK bigram
// at a million tickets) and the ranking does not need it.
#pragma once

#include <memory>

#include "store/search_index.hpp"

namespace gongdan::store {

std::unique_ptr<SearchIndex> sqlite_search_index();

}  // namespace gongdan::store
