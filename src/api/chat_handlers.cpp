// Live chat: the visitor's routes under /api/v1/chat/ (public; each session's calls proved by
// its token, in ?token= or X-Chat-Token) and the agents' under /api/v1/chats. The widget runs on
// other sites: its calls are CORS "simple" requests (GET, and POST of text/plain JSON or
// multipart), so no preflight is needed, and their answers allow any origin (no cookie is used).
#include "api/context.hpp"
#include "api/download.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "api/upload.hpp"
#include "util/text.hpp"

namespace gongdan::api {
namespace {

json::value person(const std::optional<User>& u) {
  if (!u) return nullptr;
  return json::object{{"id", u->id}, {"name", u->name}};
}

json::object chat_json(const services::ChatView& v, bool for_visitor) {
  const auto base = "/api/v1/chat/sessions/" + std::to_string(v.session.id) + "/attachments/";
  json::array messages;
  for (const auto& m : v.messages) {
    json::array files;
    if (auto it = v.attachments.find(m.id); it != v.attachments.end())
      for (const auto& a : it->second)
        files.push_back(json::object{
            {"id", a.id},
            {"filename", a.filename},
            {"size", a.size},
            {"content_type", a.content_type},
            {"url",
             (for_visitor ? base : std::string("/api/v1/attachments/")) + std::to_string(a.id)}});
    const bool from_visitor = m.author_id && *m.author_id == v.session.visitor_id;
    std::string author;
    if (m.author_id)
      if (auto it = v.authors.find(*m.author_id); it != v.authors.end()) author = it->second;
    messages.push_back(json::object{{"id", m.id},
                                    {"from", !m.author_id   ? "system"
                                             : from_visitor ? "visitor"
                                                            : "agent"},
                                    {"author", author},
                                    {"body", m.body},
                                    {"created_at", iso_time(m.created_at)},
                                    {"attachments", std::move(files)}});
  }
  json::object out{{"id", v.session.id},
                   {"state", v.session.state},
                   {"ticket", v.ticket.number},
                   {"subject", v.ticket.subject},
                   {"department", or_null(v.ticket.department_id)},
                   {"queue_position", v.queue_position},
                   {"visitor", person(v.visitor)},
                   {"agent", person(v.agent)},
                   {"visitor_read", v.session.visitor_read},
                   {"agent_read", v.session.agent_read},
                   {"created_at", iso_time(v.session.created_at)},
                   {"ended_at", iso_time_or_null(v.session.ended_at)},
                   {"messages", std::move(messages)}};
  out["visitor"].as_object()["email"] = v.visitor.email;
  if (!v.token.empty()) out["token"] = v.token;
  return out;
}

// Any site may embed the widget: its answers are readable from any origin.
Response open_to_all(Response r) {
  r.set_header("Access-Control-Allow-Origin", "*");
  return r;
}

Response visitor_answer(Result<Response> r) { return open_to_all(answer(std::move(r))); }

Result<services::ChatSide> visitor(ApiContext& ctx, const Request& r) {
  GONGDAN_ASSIGN(auto id, path_id(r, "id", "chat"));
  auto token = r.header("x-chat-token");
  if (!token) token = r.query_value("token");
  if (!token || token->empty())
    return fail(ErrorCode::kUnauthenticated, "send the chat's token (?token= or X-Chat-Token)");
  return ctx.chat->as_visitor(id, *token);
}

Result<services::ChatSide> agent(ApiContext& ctx, const Request& r) {
  GONGDAN_ASSIGN(auto id, path_id(r, "id", "chat"));
  return ctx.chat->as_agent(r.who(), id);
}

Result<std::int64_t> after_of(const Request& r) {
  auto after = r.query_value("after");
  if (!after) return 0;
  auto n = text::parse_integer<std::int64_t>(*after);
  if (!n || *n < 0) return fail(ErrorCode::kInvalidArgument, "a message id", "after");
  return *n;
}

Result<std::vector<std::int64_t>> ids_of(const json::object& body, std::string_view key) {
  std::vector<std::int64_t> out;
  const auto* v = body.if_contains(key);
  if (!v) return out;
  if (!v->is_array()) return fail(ErrorCode::kInvalidArgument, "a list of ids", std::string(key));
  for (const auto& x : v->as_array()) {
    if (!x.is_int64() || x.as_int64() <= 0)
      return fail(ErrorCode::kInvalidArgument, "a list of ids", std::string(key));
    out.push_back(x.as_int64());
  }
  if (out.size() > 10)
    return fail(ErrorCode::kInvalidArgument, "at most 10 files", std::string(key));
  return out;
}

Result<std::int64_t> positive(const json::object& body, std::string_view key) {
  const auto* v = body.if_contains(key);
  if (!v || !v->is_int64() || v->as_int64() <= 0)
    return fail(ErrorCode::kInvalidArgument, "a positive id is required", std::string(key));
  return v->as_int64();
}

Result<Response> start(ApiContext& ctx, Request& r) {
  GONGDAN_ASSIGN(auto widget, path_id(r, "id", "chat widget"));
  GONGDAN_ASSIGN(auto body, parse_object(r.body, {"name", "email", "question", "locale"}));
  services::ChatStart in;
  in.widget_id = widget;
  GONGDAN_ASSIGN(auto name, optional_string(body, "name", 200));
  in.name = name.value_or("");
  GONGDAN_ASSIGN(in.email, required_string(body, "email", 254));
  GONGDAN_ASSIGN(in.question, required_string(body, "question", 64 * 1024));
  in.ip = r.ip;
  GONGDAN_ASSIGN(auto view, ctx.chat->start(std::move(in)));
  return json_response(201, chat_json(view, true));
}

Result<Response> widget_info(ApiContext& ctx, Request& r) {
  GONGDAN_ASSIGN(auto id, path_id(r, "id", "chat widget"));
  GONGDAN_ASSIGN(auto info, ctx.chat->widget(id));
  const auto& w = info.widget;
  return json_response(200, json::object{{"id", w.id},
                                         {"department", info.department_name},
                                         {"colour", w.colour},
                                         {"greeting_en", w.greeting_en},
                                         {"greeting_zh", w.greeting_zh},
                                         {"online", info.online}});
}

Result<Response> show(ApiContext& ctx, const services::ChatSide& side, const Request& r) {
  GONGDAN_ASSIGN(auto after, after_of(r));
  GONGDAN_ASSIGN(auto view, ctx.chat->view(side, after));
  return json_response(200, chat_json(view, side.visitor));
}

Result<Response> send(ApiContext& ctx, const services::ChatSide& side, const Request& r) {
  GONGDAN_ASSIGN(auto body, parse_object(r.body, {"body", "attachments"}));
  const auto* text = body.if_contains("body");
  if (text && !text->is_string()) return fail(ErrorCode::kInvalidArgument, "a string", "body");
  GONGDAN_ASSIGN(auto files, ids_of(body, "attachments"));
  std::string message = text ? std::string(text->as_string()) : std::string();
  if (text::trim(message).empty() && files.empty())
    return fail(ErrorCode::kInvalidArgument, "is required", "body");
  GONGDAN_ASSIGN(auto added, ctx.chat->send(side, std::move(message), std::move(files)));
  return json_response(
      201, json::object{
               {"id", added.id}, {"body", added.body}, {"created_at", iso_time(added.created_at)}});
}

Result<Response> mark_read(ApiContext& ctx, const services::ChatSide& side, const Request& r) {
  GONGDAN_ASSIGN(auto body, parse_object(r.body, {"message_id"}));
  GONGDAN_ASSIGN(auto id, positive(body, "message_id"));
  GONGDAN_TRY(ctx.chat->read(side, id));
  return no_content();
}

Result<Response> upload(ApiContext& ctx, const services::ChatSide& side, Request& r) {
  GONGDAN_ASSIGN(auto files, uploaded_files(r));
  std::vector<Attachment> rows;
  for (const auto& file : files) {
    GONGDAN_ASSIGN(auto row, ctx.chat->upload(side, file.filename, file.content_type, file.data));
    rows.push_back(std::move(row));
  }
  json::array items;
  for (const auto& a : rows)
    items.push_back(json::object{{"id", a.id},
                                 {"filename", a.filename},
                                 {"size", a.size},
                                 {"content_type", a.content_type}});
  return json_response(201, json::object{{"items", std::move(items)}});
}

Result<Response> download(ApiContext& ctx, const services::ChatSide& side, const Request& r) {
  GONGDAN_ASSIGN(auto id, path_id(r, "file", "attachment"));
  GONGDAN_ASSIGN(auto file, ctx.chat->download(side, id));
  return download_response(std::move(file.bytes), file.row.filename, file.row.content_type,
                           file.row.claimed_type);
}

Result<Response> transfer(ApiContext& ctx, const services::ChatSide& side, const Request& r) {
  GONGDAN_ASSIGN(auto body, parse_object(r.body, {"agent_id", "department_id"}));
  std::optional<std::int64_t> agent_id, department_id;
  if (body.contains("agent_id")) {
    GONGDAN_ASSIGN(agent_id, positive(body, "agent_id"));
  }
  if (body.contains("department_id")) {
    GONGDAN_ASSIGN(department_id, positive(body, "department_id"));
  }
  GONGDAN_ASSIGN(auto view, ctx.chat->transfer(side, agent_id, department_id));
  return json_response(200, chat_json(view, false));
}

using namespace schema;

Schema chat_schema() {
  auto who = nullable(object({{"id", integer()}, {"name", string()}}).require_all().open());
  return object({{"id", integer()},
                 {"state", enum_of({"live", "ended", "offline"})},
                 {"ticket", integer()},
                 {"subject", string()},
                 {"department", nullable(integer())},
                 {"queue_position", integer().describe("1: next; 0: not waiting.")},
                 {"visitor", who},
                 {"agent", who},
                 {"visitor_read", integer()},
                 {"agent_read", integer()},
                 {"created_at", date_time()},
                 {"ended_at", nullable(date_time())},
                 {"messages", array_of(object({{"id", integer()},
                                               {"from", enum_of({"visitor", "agent", "system"})},
                                               {"author", string()},
                                               {"body", string()},
                                               {"created_at", date_time()},
                                               {"attachments", array_of(object({}).open())}})
                                           .require_all()
                                           .open())},
                 {"token", string().describe("start only: what proves this chat's later calls.")}})
      .require({"id", "state", "ticket", "subject", "department", "queue_position", "visitor",
                "agent", "visitor_read", "agent_read", "created_at", "ended_at", "messages"});
}

// Routes of one side on /{id}: `side` proves the caller, `handle` answers.
template <class Side, class Wrap>
void side_routes(Router& router, ApiContext& ctx, const std::string& base, Access access,
                 const std::string& tag, Side side, Wrap wrap) {
  // A body is read strictly first: an unknown field is a 400 whoever asks.
  auto on = [&ctx, side, wrap](auto handle, std::vector<std::string_view> keys = {}) {
    return [&ctx, side, wrap, handle, keys](Request& r) {
      if (!keys.empty())
        if (auto body = parse_object(r.body, keys); !body) return wrap(fail(body.error()));
      auto s = side(ctx, r);
      if (!s) return wrap(fail(std::move(s).error()));
      return wrap(handle(ctx, *s, r));
    };
  };
  const bool v = access == Access::kPublic;
  const std::string who = v ? "Visitor" : "Agent";
  router.add(
      "GET", base + "/{id}", access, tag, "A chat and its messages after ?after=",
      doc(v ? "getVisitorChat" : "getChat")
          .query("after", integer(), "Messages after this id (0: all).")
          .returns(200, ref("ChatSession"))
          .errors({401}),
      on([](ApiContext& c, const services::ChatSide& s, Request& r) { return show(c, s, r); }));
  router.add(
      "POST", base + "/{id}/messages", access, tag, who + " sends a chat message",
      doc(v ? "sendVisitorChatMessage" : "sendChatMessage")
          .body(object({{"body", string().max_length(4000)}, {"attachments", array_of(integer())}}))
          .returns(201,
                   object({{"id", integer()}, {"body", string()}, {"created_at", date_time()}}))
          .errors({401, 409, 413, 429}),
      on([](ApiContext& c, const services::ChatSide& s, Request& r) { return send(c, s, r); },
         {"body", "attachments"}));
  router.add(
      "POST", base + "/{id}/read", access, tag, who + " has read up to a message",
      doc(v ? "readVisitorChat" : "readChat")
          .body(object({{"message_id", integer()}}).require({"message_id"}))
          .returns_nothing()
          .errors({401}),
      on([](ApiContext& c, const services::ChatSide& s, Request& r) { return mark_read(c, s, r); },
         {"message_id"}));
  router.add("POST", base + "/{id}/typing", access, tag, who + " is typing (a live notice)",
             doc(v ? "typingVisitorChat" : "typingChat").returns_nothing().errors({401, 409, 429}),
             on([](ApiContext& c, const services::ChatSide& s, Request&) -> Result<Response> {
               GONGDAN_TRY(c.chat->typing(s));
               return no_content();
             }));
  router.add("POST", base + "/{id}/end", access, tag, who + " ends the chat",
             doc(v ? "endVisitorChat" : "endChat").returns(200, ref("ChatSession")).errors({401}),
             on([v](ApiContext& c, const services::ChatSide& s, Request&) -> Result<Response> {
               GONGDAN_ASSIGN(auto view, c.chat->end(s));
               return json_response(200, chat_json(view, v));
             }));
}

}  // namespace

void add_chat_routes(Router& router, ApiContext& ctx) {
  if (!ctx.chat) return;
  router.define_schema("ChatSession", chat_schema());
  router.add("GET", "/api/v1/chat/widgets/{id}", Access::kPublic, "chat",
             "A chat widget's look and whether an agent is online",
             doc("visitChatWidget")
                 .returns(200, object({{"id", integer()},
                                       {"department", string()},
                                       {"colour", string()},
                                       {"greeting_en", string()},
                                       {"greeting_zh", string()},
                                       {"online", boolean()}})
                                   .require_all()),
             [&ctx](Request& r) { return visitor_answer(widget_info(ctx, r)); });
  router.add("POST", "/api/v1/chat/widgets/{id}/sessions", Access::kPublic, "chat",
             "Start a chat (the pre-chat form)",
             doc("startChat")
                 .describe("With an agent free: live and assigned; all busy: live and queued "
                           "(queue_position); nobody online: offline, an ordinary ticket "
                           "answered by mail. The answer's token proves the chat's later calls. "
                           "Send text/plain JSON from other sites (no CORS preflight).")
                 .body(object({{"name", string().max_length(200)},
                               {"email", string().max_length(254)},
                               {"question", string().max_length(4000)},
                               {"locale", enum_of({"en", "zh-CN"})}})
                           .require({"email", "question"}))
                 .returns(201, ref("ChatSession"))
                 .errors({404, 409, 413, 429}),
             [&ctx](Request& r) { return visitor_answer(start(ctx, r)); });
  auto visitor_side = [](ApiContext& c, const Request& r) { return visitor(c, r); };
  side_routes(router, ctx, "/api/v1/chat/sessions", Access::kPublic, "chat", visitor_side,
              [](Result<Response> r) { return visitor_answer(std::move(r)); });
  auto on_visitor = [&ctx](auto handle) {
    return [&ctx, handle](Request& r) {
      auto s = visitor(ctx, r);
      if (!s) return visitor_answer(fail(std::move(s).error()));
      return visitor_answer(handle(ctx, *s, r));
    };
  };
  router.add("POST", "/api/v1/chat/sessions/{id}/attachments", Access::kPublic, "chat",
             "Visitor uploads files to send in the chat",
             doc("uploadVisitorChatFiles")
                 .body(object({{"file", binary()}}).open(), "multipart/form-data")
                 .returns(201, object({{"items", array_of(object({}).open())}}))
                 .errors({401, 409, 413, 429}),
             on_visitor([](ApiContext& c, const services::ChatSide& s, Request& r) {
               return upload(c, s, r);
             }));
  router.add("GET", "/api/v1/chat/sessions/{id}/attachments/{file}", Access::kPublic, "chat",
             "Visitor downloads a file of the chat",
             doc("downloadVisitorChatFile")
                 .describe("As GET /api/v1/attachments/{id}, for this chat's files only.")
                 .returns(200, binary(), "The file, with its own type.", "*/*")
                 .with_headers({"Content-Disposition"})
                 .errors({401}),
             on_visitor([](ApiContext& c, const services::ChatSide& s, Request& r) {
               return download(c, s, r);
             }));

  auto agent_side = [](ApiContext& c, const Request& r) { return agent(c, r); };
  side_routes(router, ctx, "/api/v1/chats", Access::kSignedIn, "chat", agent_side,
              [](Result<Response> r) { return answer(std::move(r)); });
  router.add("GET", "/api/v1/chats", Access::kSignedIn, "chat",
             "The agent's live chats and the queues they may see",
             doc("listChats").returns(200, items_of(ref("ChatSession"))),
             [&ctx](Request& r) -> Response {
               auto views = ctx.chat->list(r.who());
               if (!views) return error_response(views.error());
               return json_response(
                   200, items_answer(*views, [](const auto& v) { return chat_json(v, false); }));
             });
  router.add("POST", "/api/v1/chats/accept", Access::kSignedIn, "chat",
             "Take the next waiting chat",
             doc("acceptChat").returns(200, ref("ChatSession")).returns_nothing(204).errors({409}),
             [&ctx](Request& r) -> Response {
               auto taken = ctx.chat->accept(r.who());
               if (!taken) return error_response(taken.error());
               if (!*taken) return no_content();
               return json_response(200, chat_json(**taken, false));
             });
  router.add("POST", "/api/v1/chats/{id}/transfer", Access::kSignedIn, "chat",
             "Transfer a chat to another agent or department",
             doc("transferChat")
                 .body(object({{"agent_id", integer()}, {"department_id", integer()}}))
                 .returns(200, ref("ChatSession"))
                 .errors({409}),
             [&ctx](Request& r) -> Response {
               auto body = parse_object(r.body, {"agent_id", "department_id"});
               if (!body) return error_response(body.error());
               auto s = agent(ctx, r);
               if (!s) return error_response(s.error());
               return answer(transfer(ctx, *s, r));
             });
}

}  // namespace gongdan::api
