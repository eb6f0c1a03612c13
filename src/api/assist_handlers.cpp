// Drafts and summaries: what the model endpoint wrote for a ticket, its failures as 502 and 504
// (the endpoint is a gateway here: its trouble is not the server's), the admins' test and log.
#include "api/answer_shape.hpp"
#include "api/assist_routes.hpp"
#include "api/json.hpp"
#include "api/ticket_handlers_common.hpp"

namespace gongdan::api {
namespace {

using services::AssistFailure;

Response gateway_error(AssistFailure failure, const std::string& message) {
  const bool timeout = failure == AssistFailure::kTimeout;
  return json_response(
      timeout ? 504 : 502,
      json::object{{"error", json::object{{"code", timeout ? "gateway_timeout" : "bad_gateway"},
                                          {"message", message}}}});
}

Result<Response> ask(services::AssistService& assist, Request& request, services::AssistTask task) {
  GONGDAN_ASSIGN(auto number, ticket_number(request));
  if (!request.body.empty()) GONGDAN_TRY(parse_object(request.body, {}));
  GONGDAN_ASSIGN(auto out, assist.ask(request.who(), number, task));
  if (out.failure != AssistFailure::kNone) return gateway_error(out.failure, out.text);
  json::array articles;
  for (auto id : out.article_ids) articles.emplace_back(id);
  return json_response(200, json::object{{"text", out.text},
                                         {"prompt_tokens", out.prompt_tokens},
                                         {"completion_tokens", out.completion_tokens},
                                         {"article_ids", std::move(articles)}});
}

Result<Response> test(services::AssistService& assist, Request& request) {
  if (!request.body.empty()) GONGDAN_TRY(parse_object(request.body, {}));
  GONGDAN_ASSIGN(auto t, assist.test(request.who()));
  return json_response(
      200, json::object{{"ok", t.ok}, {"message", t.message}, {"duration_ms", t.duration_ms}});
}

using namespace shape;

const AnswerShape<AssistRequest> kRequestShape{
    integer("id", &AssistRequest::id),
    instant("at", &AssistRequest::at),
    integer("user_id", &AssistRequest::user_id),
    integer("ticket_number", &AssistRequest::ticket_number),
    member("kind", &AssistRequest::kind, schema::enum_of({"draft", "summary", "test"})),
    text("model", &AssistRequest::model),
    member("outcome", &AssistRequest::outcome,
           schema::enum_of({"ok", "timeout", "unreachable", "refused", "garbage"})),
    integer("http_status", &AssistRequest::http_status),
    integer("prompt_tokens", &AssistRequest::prompt_tokens),
    integer("completion_tokens", &AssistRequest::completion_tokens),
    integer("duration_ms", &AssistRequest::duration_ms),
    text("error", &AssistRequest::error)};

Result<Response> log(services::AssistService& assist, Request& request) {
  GONGDAN_ASSIGN(auto page, page_request(request));
  GONGDAN_ASSIGN(auto found, assist.log(request.who(), page.after, page.limit + 1));
  auto out = page_answer(found.requests, page.limit, kRequestShape);
  out["use_30_days"] = json::object{{"requests", found.requests_30_days},
                                    {"prompt_tokens", found.prompt_tokens_30_days},
                                    {"completion_tokens", found.completion_tokens_30_days}};
  return json_response(200, std::move(out));
}

using namespace schema;

void add_ask_route(Router& router, services::AssistService& assist, services::AssistTask task) {
  const bool draft = task == services::AssistTask::kDraft;
  router.add(
      "POST", draft ? "/api/v1/tickets/{number}/draft" : "/api/v1/tickets/{number}/summary",
      Access::kSignedIn, "assist",
      draft ? "A draft reply from the model endpoint, for the agent to review (agents)"
            : "A summary of the ticket's thread from the model endpoint (agents)",
      doc(draft ? "draftTicketReply" : "summarizeTicket")
          .describe(draft ? "The ticket's public messages and the best matching knowledge-base "
                            "articles go to the endpoint an admin set; its text comes back for "
                            "the reply editor and is never sent by itself. Agents, supervisors "
                            "and admins (light agents and customers: 403); 409 while drafts are "
                            "off; 504 when the endpoint did not answer within its timeout; 502 "
                            "when it failed or its answer is not a chat completion; 503 "
                            "`unavailable` when this server already waits on the setting's "
                            "`max_concurrent` requests (try again in a moment). Logged."
                          : "The thread the agent may see (internal notes too) goes to the "
                            "endpoint; a few bullet points come back, in the agent's language. "
                            "The same rules and errors as a draft. Logged.")
          .body(object())
          .optional_body()
          .returns(200, ref("AssistText"))
          .errors({400, 403, 404, 409, 502, 503, 504}),
      [&assist, task](Request& r) { return answer(ask(assist, r, task)); });
}

}  // namespace

void add_assist_routes(Router& router, services::AssistService& assist) {
  router.define_schema(
      "AssistText",
      object({{"text", string()},
              {"prompt_tokens", integer().describe("As the endpoint's `usage` said; 0: unsaid.")},
              {"completion_tokens", integer()},
              {"article_ids", array_of(integer()).describe("The articles a draft was given.")}})
          .require_all());
  router.define_schema("AssistRequest", kRequestShape.schema());
  add_ask_route(router, assist, services::AssistTask::kDraft);
  add_ask_route(router, assist, services::AssistTask::kSummary);
  router.add(
      "POST", "/api/v1/assist/test", Access::kSignedIn, "assist",
      "Test the model endpoint with a one-line question (admins; works while off)",
      doc("testAssistEndpoint")
          .describe("200 whatever happened: `ok` with the answer's first words, or false with "
                    "why (the endpoint's status, a timeout, curl's reason). No ticket is sent. "
                    "409 until the URL and the model are set; 503 while this server already "
                    "waits on `max_concurrent` requests. Logged.")
          .body(object())
          .optional_body()
          .returns(200,
                   object({{"ok", boolean()}, {"message", string()}, {"duration_ms", integer()}})
                       .require_all())
          .errors({400, 403, 409, 503}),
      [&assist](Request& r) { return answer(test(assist, r)); });
  router.add(
      "GET", "/api/v1/assist/requests", Access::kSignedIn, "assist",
      "Every request made to the model endpoint, newest first, with token use (admins)",
      doc("listAssistRequests")
          .paged()
          .returns(200, page_of(ref("AssistRequest"))
                            .extend({{"use_30_days", object({{"requests", integer()},
                                                             {"prompt_tokens", integer()},
                                                             {"completion_tokens", integer()}})
                                                         .require_all()}})
                            .require_all())
          .errors({400, 403}),
      [&assist](Request& r) { return answer(log(assist, r)); });
}

}  // namespace gongdan::api
