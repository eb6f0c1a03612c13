#include "api/answer_shape.hpp"
#include "api/context.hpp"
#include "api/json.hpp"
#include "api/router.hpp"
#include "util/text.hpp"

namespace gongdan::api {
namespace {

json::array scope_list(const ApiToken& t) {
  json::array scopes;
  for (auto s : text::split(t.scopes, ' ')) scopes.emplace_back(s);
  return scopes;
}

using namespace shape;

const AnswerShape<ApiToken> kTokenShape{
    integer("id", &ApiToken::id), text("name", &ApiToken::name),
    computed<ApiToken>("scopes", scope_list, schema::array_of(schema::ref("TokenScope"))),
    instant("created_at", &ApiToken::created_at), instant("last_used_at", &ApiToken::last_used_at)};

Response create(ApiContext& ctx, Request& request) {
  auto body = parse_object(request.body, {"name", "scopes"});
  if (!body) return error_response(body.error());
  auto name = optional_string(*body, "name", 200);
  if (!name) return error_response(name.error());
  auto scopes = optional_string_list(*body, "scopes");
  if (!scopes) return error_response(scopes.error());
  auto created = ctx.auth.create_token(request.who(), request.who().user.id, name->value_or(""),
                                       scopes->value_or(std::vector<std::string>{}));
  if (!created) return error_response(created.error());
  auto out = kTokenShape.write(created->row);
  out["token"] = created->token;
  auto r = json_response(201, out);
  r.set_header("Cache-Control", "no-store");
  return r;
}

Response list(ApiContext& ctx, Request& request) {
  auto tokens = ctx.auth.list_tokens(request.who());
  if (!tokens) return error_response(tokens.error());
  return json_response(200, items_answer(*tokens, kTokenShape));
}

Response revoke(ApiContext& ctx, Request& request) {
  auto id = path_id(request, "id", "token");
  if (!id) return error_response(id.error());
  if (auto done = ctx.auth.revoke_token(request.who(), *id); !done)
    return error_response(done.error());
  return no_content();
}

using namespace schema;

}  // namespace

void add_token_routes(Router& router, ApiContext& ctx) {
  router.define_schema("TokenScope", enum_of({"read", "write", "mail"})
                                         .describe("`read`: GET; `write`: everything else; "
                                                   "`mail`: only POST /api/v1/mail/inbound."));
  router.define_schema("Token", kTokenShape.schema());
  router.add("GET", "/api/v1/tokens", Access::kSignedIn, "tokens", "Your API tokens",
             doc("listTokens").returns(200, items_of(ref("Token"))),
             [&ctx](Request& r) { return list(ctx, r); });
  router.add(
      "POST", "/api/v1/tokens", Access::kSignedIn, "tokens",
      "Create an API token; the token is shown only in this answer",
      doc("createToken")
          .describe("Only the token's SHA-256 digest is stored: this answer is the one "
                    "chance to read it.")
          .body(
              object({{"name", string().max_length(200)}, {"scopes", array_of(ref("TokenScope"))}}))
          .returns(201, kTokenShape.schema()
                            .extend({{"token", string().describe("43 URL-safe characters.")}})
                            .require_all()),
      [&ctx](Request& r) { return create(ctx, r); });
  router.add("DELETE", "/api/v1/tokens/{id}", Access::kSignedIn, "tokens", "Revoke a token",
             doc("revokeToken").returns_nothing(), [&ctx](Request& r) { return revoke(ctx, r); });
}

}  // namespace gongdan::api
