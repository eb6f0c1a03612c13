#include "services/similar_service.hpp"

#include <algorithm>
#include <unordered_set>

#include "domain/search_text.hpp"
#include "store/messages_store.hpp"
#include "store/search_index.hpp"
#include "store/ticket_vectors_store.hpp"
#include "store/tickets_store.hpp"
#include "util/text.hpp"

namespace gongdan::services {
namespace {

// Matches ranked, of which the first `limit` visible solved ones are kept: most candidates of a
// busy install are solved, so a few times the page is enough.
constexpr int kSimilarWindow = 400;
constexpr int kSimilarRanked = 60;
// How much of a ticket's first message its suggested articles are matched against, in bytes.
constexpr std::size_t kMessageWords = 300;

bool solved(const Ticket& t) {
  return t.category == StatusCategory::kSolved || t.category == StatusCategory::kClosed;
}

// The ticket's language as the knowledge base spells it: any Chinese character makes it zh-CN.
std::string kb_language_of(std::string_view text) {
  for (char32_t cp : search::detail::decode_utf8_lossy(text))
    if (search::is_cjk(cp)) return "zh-CN";
  return "en";
}

}  // namespace

Result<SimilarTickets> SimilarService::solved_like(const Viewer& viewer, std::string_view subject,
                                                   const std::vector<std::string>& tags,
                                                   std::int64_t except, int limit,
                                                   SimilarMethod method) {
  SimilarTickets out;
  std::vector<std::int64_t> ids;
  bool by_vectors = false;
  if (method != SimilarMethod::kBm25) {
    std::string text(subject);
    for (const auto& tag : tags) text += " " + tag;
    GONGDAN_ASSIGN(auto near,
                   vectors_.nearest(text, kSimilarRanked,
                                    method == SimilarMethod::kExact ? VectorSearch::kExact
                                                                    : VectorSearch::kIndex));
    if (near) {
      ids = std::move(*near);
      by_vectors = true;
    } else if (method != SimilarMethod::kAuto) {
      return fail(ErrorCode::kNotFound, "no sentence vector model is trained");
    }
  }
  out.method = by_vectors ? "vectors" : "bm25";
  std::vector<std::string> texts{std::string(subject)};
  texts.insert(texts.end(), tags.begin(), tags.end());
  const auto match = by_vectors ? std::string() : search::fts_match_any(texts);
  if (!by_vectors && match.empty()) return out;
  std::vector<std::int64_t> gone;  // found by the vectors of this node, no longer stored
  GONGDAN_TRY(db_.read([&](store::Connection& c) -> Result<void> {
    if (!by_vectors) {
      GONGDAN_ASSIGN(ids,
                     db_.search_index().similar_tickets(c, match, kSimilarWindow, kSimilarRanked));
    }
    std::unordered_set<std::int64_t> stored;
    if (by_vectors) {
      // Erased, deleted or merged away since this node loaded them: no longer answered.
      GONGDAN_ASSIGN(auto with, store::tickets_with_vectors(c, ids));
      stored.insert(with.begin(), with.end());
    }
    GONGDAN_ASSIGN(auto found, store::find_tickets(c, ids));
    for (auto id : ids) {
      if (static_cast<int>(out.tickets.size()) >= limit) break;
      if (by_vectors && !stored.count(id)) {
        gone.push_back(id);
        continue;
      }
      auto it = found.find(id);
      if (id == except || it == found.end() || !solved(it->second) || it->second.merged_into ||
          !can_see_ticket(viewer, it->second))
        continue;
      GONGDAN_ASSIGN(auto reply, store::last_agent_reply(c, id));
      out.tickets.push_back({std::move(it->second), std::move(reply)});
    }
    return {};
  }));
  vectors_.forget(gone);
  return out;
}

Result<SimilarHelp> SimilarService::similar(const Principal& who, std::int64_t number, int limit,
                                            std::optional<std::string> lang) {
  if (!who.is_agent()) return fail(ErrorCode::kNotFound, "no such ticket");
  GONGDAN_ASSIGN(auto ticket, tickets_.get(who, number));
  GONGDAN_ASSIGN(auto viewer, directory_.viewer(who));
  SimilarHelp help;
  GONGDAN_ASSIGN(auto like, solved_like(viewer, ticket.subject, ticket.tags, ticket.id, limit));
  help.tickets = std::move(like.tickets);
  help.method = std::move(like.method);
  const std::string first = lang.value_or(kb_language_of(ticket.subject));
  // Articles match the subject and the start of the first message (issue 18): a subject alone
  // is often a word or two ("问题", "help").
  std::string about = ticket.subject;
  GONGDAN_ASSIGN(auto opening, tickets_.messages(who, number, 0, 1));
  if (!opening.empty() && !opening.front().internal)
    about += " " + text::cut_utf8(opening.front().body, kMessageWords);
  for (const auto& l : {first, std::string(first == "en" ? "zh-CN" : "en")}) {
    if (static_cast<int>(help.articles.size()) >= limit) break;
    GONGDAN_ASSIGN(auto hits, kb_.search(KbReader::kAgent, about, l, limit, KbService::Match::kAny,
                                         kb_departments(viewer)));
    for (auto& h : hits) {
      const bool known =
          std::any_of(help.articles.begin(), help.articles.end(),
                      [&](const KbEntry& e) { return e.article_id == h.article_id; });
      if (!known && static_cast<int>(help.articles.size()) < limit)
        help.articles.push_back(std::move(h));
    }
  }
  return help;
}

}  // namespace gongdan::services
