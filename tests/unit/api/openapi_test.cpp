#include "api/openapi.hpp"

#include <gtest/gtest.h>

#include "api/json.hpp"
#include "api/router.hpp"

namespace gongdan::api {
namespace {

using namespace schema;

Response ok(Request&) { return Response{}; }

json::value at(const json::value& v, std::initializer_list<std::string_view> keys) {
  const json::value* p = &v;
  for (auto key : keys) {
    if (!p->is_object() || !p->as_object().contains(key)) return nullptr;
    p = &p->as_object().at(key);
  }
  return *p;
}

TEST(Schema, BuildsJsonSchemaValues) {
  auto s = object({{"name", string().max_length(200)}, {"scopes", array_of(enum_of({"read"}))}})
               .require({"name"});
  EXPECT_EQ(json::serialize(s.value()),
            R"({"type":"object","properties":{"name":{"type":"string","maxLength":200},)"
            R"("scopes":{"type":"array","items":{"type":"string","enum":["read"]}}},)"
            R"("additionalProperties":false,"required":["name"]})");
  EXPECT_EQ(json::serialize(nullable(integer()).value()), R"({"type":["integer","null"]})");
  EXPECT_EQ(json::serialize(nullable(enum_of({"a"})).value()),
            R"({"type":["string","null"],"enum":["a",null]})");
  EXPECT_EQ(json::serialize(nullable(ref("User")).value()),
            R"({"anyOf":[{"$ref":"#/components/schemas/User"},{"type":"null"}]})");
}

TEST(Schema, ObjectsAreExtendedAndNarrowedAsValues) {
  auto user = object({{"id", integer()}, {"email", string()}}).require_all();
  auto contact = user.extend({{"notes", string()}}).without({"email"});
  EXPECT_EQ(user.property_names(), (std::vector<std::string>{"id", "email"}));
  EXPECT_EQ(contact.property_names(), (std::vector<std::string>{"id", "notes"}));
  EXPECT_EQ(json::serialize(contact.value().at("required")), R"(["id"])");
  EXPECT_FALSE(object().open().value().contains("additionalProperties"));
}

TEST(Schema, ListAnswersAreItemsOrAPageOfThem) {
  EXPECT_EQ(json::serialize(items_of(ref("Job")).value()),
            R"({"type":"object","properties":{"items":{"type":"array","items":)"
            R"({"$ref":"#/components/schemas/Job"}}},"additionalProperties":false,)"
            R"("required":["items"]})");
  EXPECT_EQ(page_of(ref("Job")).property_names(),
            (std::vector<std::string>{"items", "next_cursor"}));
  EXPECT_EQ(json::serialize(page_of(ref("Job")).value().at("required")),
            R"(["items","next_cursor"])");
  EXPECT_EQ(json::serialize(page_of(integer()).value().at("properties").at("next_cursor")),
            R"({"type":["string","null"]})");
}

TEST(OpenApi, DocumentsBodiesResponsesParametersAndErrors) {
  Router router;
  define_common_schemas(router);
  router.define_schema("Token", object({{"id", integer()}}).require_all());
  router.add("POST", "/api/v1/tokens", Access::kSignedIn, "tokens", "Create a token",
             doc("createToken")
                 .body(object({{"name", string()}}))
                 .returns(201, ref("Token"))
                 .errors({409}),
             ok);
  router.add("GET", "/api/v1/tokens", Access::kSignedIn, "tokens", "List tokens",
             doc("listTokens").paged().returns(200, array_of(ref("Token"))), ok);
  router.add("DELETE", "/api/v1/tokens/{id}", Access::kPublic, "tokens", "Revoke", ok);
  auto document = json::value(openapi_document(router));

  EXPECT_EQ(at(document, {"openapi"}), "3.1.0");
  auto create = at(document, {"paths", "/api/v1/tokens", "post"});
  EXPECT_EQ(at(create, {"operationId"}), "createToken");
  EXPECT_EQ(at(create, {"requestBody", "content", "application/json", "schema", "type"}), "object");
  EXPECT_EQ(at(create, {"responses", "201", "content", "application/json", "schema", "$ref"}),
            "#/components/schemas/Token");
  for (auto status : {"400", "401", "403", "409", "413"})
    EXPECT_TRUE(at(create, {"responses", status, "$ref"}).is_string()) << status;
  EXPECT_TRUE(at(create, {"responses", "404"}).is_null());
  // Writes by session need the CSRF header too; by token, the write scope.
  EXPECT_EQ(json::serialize(at(create, {"security"})),
            R"([{"bearer":["write"]},{"session":[],"csrf":[]}])");

  auto list = at(document, {"paths", "/api/v1/tokens", "get"});
  EXPECT_EQ(json::serialize(at(list, {"security"})), R"([{"bearer":["read"]},{"session":[]}])");
  ASSERT_TRUE(at(list, {"parameters"}).is_array());
  EXPECT_EQ(at(list, {"parameters"}).as_array().size(), 2u);

  // A route registered without a doc still has an id, a path parameter and its errors.
  auto revoke = at(document, {"paths", "/api/v1/tokens/{id}", "delete"});
  EXPECT_EQ(at(revoke, {"operationId"}), "deleteTokensById");
  EXPECT_EQ(at(revoke, {"x-gongdan-undocumented"}), true);
  EXPECT_EQ(at(revoke, {"parameters"}).as_array()[0].at("schema").at("type"), "integer");
  EXPECT_EQ(json::serialize(at(revoke, {"security"})), "[]");
  EXPECT_TRUE(at(revoke, {"responses", "404", "$ref"}).is_string());

  EXPECT_EQ(at(document, {"components", "responses", "Conflict", "content", "application/json",
                          "schema", "$ref"}),
            "#/components/schemas/Error");
  EXPECT_TRUE(at(document, {"paths", "/api/v1/stream", "get", "description"}).is_string());
}

TEST(OpenApi, EveryReferenceOfTheDocumentResolves) {
  Router router;
  define_common_schemas(router);
  router.add("GET", "/api/v1/x", Access::kSignedIn, "x", "x",
             doc("getX").returns(200, ref("Notification")), ok);
  auto document = openapi_document(router);
  std::vector<std::string> names;
  schema::collect_refs(document, names);
  const auto& schemas = document.at("components").at("schemas").as_object();
  for (const auto& name : names) EXPECT_TRUE(schemas.contains(name)) << name;
  EXPECT_FALSE(names.empty());
}

TEST(Router, DocumentReplacesTheDocOfAnAddedRoute) {
  Router router;
  router.add("GET", "/api/v1/things", Access::kSignedIn, "things", "list", ok);
  EXPECT_FALSE(router.routes()[0].doc.documented);
  EXPECT_TRUE(router.document("GET", "/api/v1/things", doc("listThings")));
  EXPECT_TRUE(router.routes()[0].doc.documented);
  EXPECT_FALSE(router.document("POST", "/api/v1/things", doc("addThing")));
  EXPECT_EQ(router.routes()[0].doc.operation_id, "listThings");
}

}  // namespace
}  // namespace gongdan::api
