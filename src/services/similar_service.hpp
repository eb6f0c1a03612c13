// Help from the team's own history beside a ticket (issue 22): the solved tickets most like it,
// each with the reply that solved it, and the knowledge-base articles that match it. Similar
// means nearest by sentence vectors of subjects and tags (services/ticket_vectors) once a model
// is trained, and BM25 over the search index's subjects and tags before (bench/assist.sh
// measures both on bench-data's labelled tickets), under the same visibility rules as every
// read: an agent only sees tickets they may see.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "services/directory.hpp"
#include "services/kb_service.hpp"
#include "services/principal.hpp"
#include "services/store_fwd.hpp"
#include "services/ticket_vectors.hpp"
#include "services/tickets_service.hpp"

namespace gongdan::services {

struct SimilarTicket {
  Ticket ticket;
  std::optional<Message> reply;  // the newest public agent reply: what solved it
};

// How similar tickets are found: kAuto is the sentence vectors when a model is trained, BM25
// otherwise; the others are for the evaluation (kExact: every vector compared, in floats).
enum class SimilarMethod { kAuto, kBm25, kVectors, kExact };

struct SimilarTickets {
  std::vector<SimilarTicket> tickets;
  std::string method;  // "vectors" or "bm25": how they were found
};

struct SimilarHelp {
  std::vector<SimilarTicket> tickets;
  std::string method;  // as SimilarTickets'
  std::vector<KbEntry> articles;
};

class SimilarService {
 public:
  SimilarService(store::Database& db, Directory& directory, TicketsService& tickets, KbService& kb,
                 TicketVectors& vectors)
      : db_(db), directory_(directory), tickets_(tickets), kb_(kb), vectors_(vectors) {}

  // Agents who may see ticket `number`: up to `limit` solved or closed tickets like it and up to
  // `limit` articles, in `lang` first (a kb language; none: the ticket's own) then the other.
  Result<SimilarHelp> similar(const Principal& who, std::int64_t number, int limit,
                              std::optional<std::string> lang);
  // The solved tickets like `subject` and `tags` that `viewer` may see, `except` left out;
  // the evaluation asks it directly, with a method of its choice (kVectors and kExact fail
  // with kNotFound when no vector model is trained).
  Result<SimilarTickets> solved_like(const Viewer& viewer, std::string_view subject,
                                     const std::vector<std::string>& tags, std::int64_t except,
                                     int limit, SimilarMethod method = SimilarMethod::kAuto);

 private:
  store::Database& db_;
  Directory& directory_;
  TicketsService& tickets_;
  KbService& kb_;
  TicketVectors& vectors_;
};

}  // namespace gongdan::services
