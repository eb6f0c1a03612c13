// Beside a ticket: the similar solved tickets with the reply that solved each, and the
// articles that match it (agents who may see the ticket).
#include "api/json.hpp"
#include "api/kb_json.hpp"
#include "api/ticket_handlers_common.hpp"
#include "api/triage_routes.hpp"
#include "domain/kb.hpp"

namespace gongdan::api {
namespace {

using namespace shape;
using services::SimilarTicket;

const AnswerShape<Message> kReplyShape{
    integer("id", &Message::id), text("body", &Message::body).describe("Plain text."),
    text("html", &Message::html).describe("Sanitised HTML; may be empty."),
    instant("created_at", &Message::created_at)};

const AnswerShape<SimilarTicket> kSimilarShape{
    computed<SimilarTicket>(
        "number", [](const SimilarTicket& s) { return s.ticket.number; }, schema::integer()),
    computed<SimilarTicket>(
        "subject", [](const SimilarTicket& s) { return s.ticket.subject; }, schema::string()),
    computed<SimilarTicket>(
        "category", [](const SimilarTicket& s) { return category_name(s.ticket.category); },
        schema::enum_of({"solved", "closed"})),
    computed<SimilarTicket>(
        "solved_at", [](const SimilarTicket& s) { return iso_time_or_null(s.ticket.solved_at); },
        schema::nullable(schema::date_time())),
    nested("reply", &SimilarTicket::reply, kReplyShape)
        .describe("The newest public agent reply: what solved it.")};

Result<Response> similar_help(services::SimilarService& similar, Request& request) {
  GONGDAN_ASSIGN(auto number, ticket_number(request));
  GONGDAN_ASSIGN(auto limit, page_limit(request, 5, 20));
  std::optional<std::string> lang;
  if (auto asked = request.query_value("lang")) {
    lang = parse_kb_language(*asked);
    if (!lang) return fail(ErrorCode::kInvalidArgument, "use zh-CN or en", "lang");
  }
  GONGDAN_ASSIGN(auto help, similar.similar(request.who(), number, limit, lang));
  json::array tickets, articles;
  for (const auto& s : help.tickets) tickets.push_back(kSimilarShape.write(s));
  for (const auto& a : help.articles) articles.push_back(kKbHitShape.write(a));
  return json_response(200, json::object{{"tickets", std::move(tickets)},
                                         {"method", help.method},
                                         {"articles", std::move(articles)}});
}

}  // namespace

void add_similar_routes(Router& router, services::SimilarService& similar) {
  using namespace schema;
  router.define_schema("SimilarTicket", kSimilarShape.schema());
  router.add(
      "GET", "/api/v1/tickets/{number}/similar", Access::kSignedIn, "tickets",
      "Solved tickets like this one, with the replies that solved them, and matching articles "
      "(agents)",
      doc("getSimilarTickets")
          .describe("Solved or closed tickets visible to the caller, nearest first by the "
                    "fastText sentence vectors of their subjects and tags once a model is "
                    "trained (with triage: `POST /api/v1/triage/train`), otherwise ranked by "
                    "BM25 over subjects and tags among the newest matches (`method` says "
                    "which); articles of the knowledge base matching the subject, in `lang` "
                    "first and then the other language.")
          .query("limit", integer().minimum(1).maximum(20), "How many of each (default 5).")
          .query("lang", enum_of({"zh-CN", "en"}),
                 "The articles' first language (default: the ticket's).")
          .returns(200,
                   object({{"tickets", array_of(ref("SimilarTicket"))},
                           {"method",
                            enum_of({"vectors", "bm25"}).describe("How the tickets were found.")},
                           {"articles", array_of(ref("KbHit"))}})
                       .require_all()),
      [&similar](Request& r) { return answer(similar_help(similar, r)); });
}

}  // namespace gongdan::api
