#include <gtest/gtest.h>

#include "services/resource_service.hpp"
#include "store/database.hpp"

namespace gongdan::services {
namespace {

namespace json = boost::json;

struct Shape {
  std::int64_t id = 0;
  std::string name;
  json::value spec = json::object{};
};

// A field with syntax of its own: its setter refuses a spec without "sides".
Bound<Shape> spec_field() {
  Accessor<Shape> a;
  a.get = [](const Shape& s) { return s.spec; };
  a.set = [](Shape& s, const json::value& v) -> Result<void> {
    if (!v.is_object() || !v.as_object().contains("sides"))
      return fail(ErrorCode::kInvalidArgument, "needs sides");
    s.spec = v;
    return {};
  };
  return {{.key = "spec", .kind = FieldKind::kJson}, std::move(a)};
}

const Resource<Shape>& shapes() {
  static const Resource<Shape> r =
      declare<Shape>({.name = "shapes", .noun = "shape", .table = "shapes", .body_field = "spec"},
                     {field_of(&Shape::id, {.key = "id", .kind = FieldKind::kId}),
                      field_of(&Shape::name, {.key = "name", .read_only = true}), spec_field()});
  return r;
}

TEST(ResourceHooks, SyntaxRunsTheSettersOfTheGivenFieldsOnly) {
  auto hooks = typed_hooks(shapes(), {});
  ASSERT_TRUE(hooks.syntax);
  EXPECT_TRUE(hooks.syntax(Values{}));
  EXPECT_TRUE(hooks.syntax(Values{{"spec", json::object{{"sides", 3}}}}));
  auto refused = hooks.syntax(Values{{"spec", json::object{{"corners", 3}}}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "spec");  // the setter's error, named after its field
}

TEST(ResourceHooks, RemovingIsOnlyThereWhenGiven) {
  EXPECT_FALSE(typed_hooks(shapes(), {}).removing);
  Hooks<Shape> hooks;
  hooks.removing = [](store::Connection&, const Shape&) -> Result<void> { return {}; };
  EXPECT_TRUE(typed_hooks(shapes(), std::move(hooks)).removing);
}

}  // namespace
}  // namespace gongdan::services
