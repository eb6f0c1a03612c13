#include "api/router.hpp"

#include <gtest/gtest.h>

#include "api/json.hpp"

namespace gongdan::api {
namespace {

Response ok(Request&) { return Response{}; }

TEST(Router, MatchesPatternsAndCapturesParameters) {
  Router router;
  router.add("GET", "/api/v1/agents", Access::kSignedIn, "agents", "list", ok);
  router.add("GET", "/api/v1/agents/{id}", Access::kSignedIn, "agents", "get", ok);
  router.add("PATCH", "/api/v1/agents/{id}", Access::kSignedIn, "agents", "patch", ok);
  auto m = router.match("GET", "/api/v1/agents/42");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->summary, "get");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].first, "id");
  EXPECT_EQ(m.params[0].second, "42");
  EXPECT_EQ(router.match("GET", "/api/v1/agents").route->summary, "list");
}

TEST(Router, OtherMethodsAreReportedForA405) {
  Router router;
  router.add("GET", "/api/v1/agents/{id}", Access::kSignedIn, "agents", "get", ok);
  router.add("PATCH", "/api/v1/agents/{id}", Access::kSignedIn, "agents", "patch", ok);
  auto m = router.match("DELETE", "/api/v1/agents/7");
  EXPECT_FALSE(m.route);
  EXPECT_EQ(m.allowed_methods, "GET, PATCH");
}

TEST(Router, UnknownPathsAndEmptySegmentsDoNotMatch) {
  Router router;
  router.add("GET", "/api/v1/agents/{id}", Access::kSignedIn, "agents", "get", ok);
  EXPECT_FALSE(router.match("GET", "/api/v1/agents/").route);
  EXPECT_FALSE(router.match("GET", "/api/v1/agents/1/x").route);
  EXPECT_TRUE(router.match("GET", "/api/v1/agents/1/x").allowed_methods.empty());
}

TEST(JsonBody, RejectsUnknownFieldsAndNamesThem) {
  auto r = parse_object(R"({"email":"a@b.c","role":"x","extra":1})", {"email", "role"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().field, "extra");
}

TEST(JsonBody, RejectsMalformedInvalidUtf8AndNonObjects) {
  EXPECT_FALSE(parse_object("{", {}));
  EXPECT_FALSE(parse_object("[1,2]", {}));
  EXPECT_FALSE(parse_object("{\"a\":\"\xff\"}", {"a"}));
  EXPECT_FALSE(parse_object("", {}));
  std::string deep(100, '[');
  EXPECT_FALSE(parse_object("{\"a\":" + deep, {"a"}));
}

TEST(JsonBody, TypedFieldsExplainWrongTypes) {
  auto body = parse_object(R"({"name":5,"active":"yes","scopes":["read",1]})",
                           {"name", "active", "scopes"});
  ASSERT_TRUE(body);
  auto name = optional_string(*body, "name");
  ASSERT_FALSE(name);
  EXPECT_EQ(name.error().field, "name");
  EXPECT_FALSE(optional_bool(*body, "active"));
  EXPECT_FALSE(optional_string_list(*body, "scopes"));
  auto missing = required_string(*body, "email");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "email");
}

TEST(Json, IsoTimesAreUtcWithMilliseconds) {
  EXPECT_EQ(iso_time(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(iso_time(1795879845123), "2026-11-28T15:30:45.123Z");
}

TEST(Json, ErrorResponsesCarryCodeMessageFieldAndRetryAfter) {
  Error e{ErrorCode::kRateLimited, "slow down", "email", 60};
  auto r = error_response(e);
  EXPECT_EQ(r.status, 429u);
  EXPECT_EQ(r.body, R"({"error":{"code":"rate_limited","message":"slow down","field":"email"}})");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].second, "60");
}

}  // namespace
}  // namespace gongdan::api
