// Full-text search over tickets (subjects, tags, messages) and contacts, with the filters of
// the query language (`status:open assignee:me tag:vip department:售后 "exact phrase"`), under the
// same visibility rules as every other read: customers never match on internal notes, and a
// ticket the caller may not see is never returned. The index is written in the same
// transaction as the change, so a search reflects a write as soon as it is answered.
#pragma once

#include <string>
#include <vector>

#include "domain/search_query.hpp"
#include "services/directory.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"

namespace gongdan::services {

struct TicketHit {
  Ticket ticket;
  std::string snippet;  // HTML-escaped, matches in <mark>
  std::string matched;  // "subject" or "message"
};

struct SearchResults {
  std::vector<TicketHit> tickets;
  std::vector<User> contacts;
};

class SearchService {
 public:
  SearchService(store::Database& db, Directory& directory) : db_(db), directory_(directory) {}
  Result<SearchResults> search(const Principal& who, std::string_view q, int limit);

 private:
  store::Database& db_;
  Directory& directory_;
};

// Turns the query's filters into a ticket filter; names (departments, statuses) are looked up
// in the catalog. Unknown values are errors that name the filter.
Result<TicketFilter> filter_from_query(const search::SearchQuery& q, const Catalog& catalog,
                                       std::int64_t me);

}  // namespace gongdan::services
