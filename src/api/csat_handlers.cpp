// Satisfaction ratings: the page of a mailed rating link and its answer (public: the signed
// token in the path is the credential), and a ticket's ratings for those who see the ticket.
// The survey settings are the declared resource `csat-surveys`.
#include "api/answer_shape.hpp"
#include "api/router.hpp"
#include "api/ticket_handlers_common.hpp"

namespace gongdan::api {
namespace {

using namespace schema;

json::array choices_of(const CsatRequest& r) {
  json::array choices;
  for (const auto& c : csat_choices(r.scale)) choices.emplace_back(c);
  return choices;
}

json::value positive(const CsatRequest& r) {
  return r.rating ? json::value(is_positive_rating(*r.rating)) : json::value(nullptr);
}

using namespace shape;

const AnswerShape<CsatRequest> kRequestShape{
    integer("id", &CsatRequest::id),
    member("scale", &CsatRequest::scale, enum_of({"good_bad", "five"})),
    computed<CsatRequest>("choices", choices_of,
                          array_of(string()).describe("The ratings allowed, worst first.")),
    text("question", &CsatRequest::question),
    text("language", &CsatRequest::language),
    instant("sent_at", &CsatRequest::sent_at),
    instant("expires_at", &CsatRequest::expires_at),
    text("rating", &CsatRequest::rating),
    computed<CsatRequest>("positive", positive, nullable(boolean()).describe("good, 4 or 5.")),
    text("comment", &CsatRequest::comment),
    instant("rated_at", &CsatRequest::rated_at),
    text("token", &CsatRequest::token)
        .describe("The rating link's token (POST /api/v1/csat/{token}): for the ticket's "
                  "requester while the survey is open, else null.")};

Response page_response(const services::CsatPage& page) {
  auto body = kRequestShape.write(page.request);
  body["state"] = page.state;
  body["ticket"] = json::object{{"number", page.ticket_number}, {"subject", page.subject}};
  return json_response(200, body);
}

Schema page_schema() {
  return kRequestShape.schema()
      .extend({{"state", enum_of({"open", "rated", "expired"})},
               {"ticket", object({{"number", integer()}, {"subject", string()}}).require_all()}})
      .require_all();
}

Result<Response> rate(services::CsatService& csat, Request& r) {
  GONGDAN_ASSIGN(auto body, parse_object(r.body, {"rating", "comment"}));
  GONGDAN_ASSIGN(auto rating, required_string(body, "rating"));
  GONGDAN_ASSIGN(auto comment, optional_string(body, "comment"));
  GONGDAN_ASSIGN(auto page, csat.rate(r.param("token"), rating, comment.value_or("")));
  return page_response(page);
}

}  // namespace

void add_csat_routes(Router& router, ApiContext& ctx) {
  if (!ctx.csat) return;
  auto* csat = ctx.csat;
  auto token = string().describe("The token of the mailed link.");
  router.add("GET", "/api/v1/csat/{token}", Access::kPublic, "csat",
             "A satisfaction survey, by the token of its mailed link (no sign-in)",
             doc("getCsatLink")
                 .describe("A token that is not one of ours (malformed, forged, or pointed at "
                           "another survey) is 404; an expired or answered one is 200 with "
                           "`state` saying so.")
                 .path("token", token, "The token of the mailed link.")
                 .returns(200, page_schema())
                 .errors({404}),
             [csat](Request& r) {
               auto page = csat->page(r.param("token"));
               if (!page) return error_response(page.error());
               return page_response(*page);
             });
  router.add("POST", "/api/v1/csat/{token}", Access::kPublic, "csat",
             "Rate a solved ticket through the mailed link, once (no sign-in)",
             doc("rateCsatLink")
                 .describe("`rating` is one of the survey's `choices`. A second answer, or one "
                           "after the link expired, is 409 (`field` rating or token).")
                 .path("token", token, "The token of the mailed link.")
                 .body(object({{"rating", string()}, {"comment", string().max_length(2000)}})
                           .require({"rating"}))
                 .returns(200, page_schema())
                 .errors({404, 409}),
             [csat](Request& r) { return answer(rate(*csat, r)); });
  router.add("GET", "/api/v1/tickets/{number}/csat", Access::kSignedIn, "csat",
             "A ticket's satisfaction surveys and ratings",
             doc("listTicketCsat")
                 .describe("Newest first; for whoever may see the ticket.")
                 .path("number", integer(), "The ticket's number.")
                 .returns(200, items_of(kRequestShape.schema())),
             [csat](Request& r) {
               auto number = ticket_number(r);
               if (!number) return error_response(number.error());
               auto items = csat->of_ticket(r.who(), *number);
               if (!items) return error_response(items.error());
               return json_response(200, items_answer(*items, kRequestShape));
             });
}

}  // namespace gongdan::api
