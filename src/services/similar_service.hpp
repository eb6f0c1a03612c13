// Help from the team's own history beside a ticket (issue 22): the solved tickets most like it,
// each with the reply that solved it, and the knowledge-base articles that match it. Similar
// means BM25 over the search index's subjects and tags (bench/assist.sh measures it on
// bench-data's labelled tickets), under the same visibility rules as every read: an agent
// only sees tickets they may see.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "services/directory.hpp"
#include "services/kb_service.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"
#include "services/tickets_service.hpp"

namespace gongdan::services {

struct SimilarTicket {
  Ticket ticket;
  std::optional<Message> reply;  // the newest public agent reply: what solved it
};

struct SimilarHelp {
  std::vector<SimilarTicket> tickets;
  std::vector<KbEntry> articles;
};

class SimilarService {
 public:
  SimilarService(store::Database& db, Directory& directory, TicketsService& tickets, KbService& kb)
      : db_(db), directory_(directory), tickets_(tickets), kb_(kb) {}

  // Agents who may see ticket `number`: up to `limit` solved or closed tickets like it and up to
  // `limit` articles, in `lang` first (a kb language; none: the ticket's own) then the other.
  Result<SimilarHelp> similar(const Principal& who, std::int64_t number, int limit,
                              std::optional<std::string> lang);
  // The solved tickets like `subject` and `tags` that `viewer` may see, `except` left out;
  // for the bench, which has no ticket page to ask from.
  Result<std::vector<SimilarTicket>> solved_like(const Viewer& viewer, std::string_view subject,
                                                 const std::vector<std::string>& tags,
                                                 std::int64_t except, int limit);

 private:
  store::Database& db_;
  Directory& directory_;
  TicketsService& tickets_;
  KbService& kb_;
};

}  // namespace gongdan::services
