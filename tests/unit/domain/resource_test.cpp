#include "domain/resource.hpp"

#include <gtest/gtest.h>

#include "util/clock.hpp"

namespace gongdan {
namespace {

namespace json = boost::json;

struct Thing {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::int64_t> minutes;
  bool active = true;
  std::vector<std::string> tags;
  json::value rule = json::object{};
  Millis created_at = 0;
};

const Resource<Thing>& things() {
  static const Resource<Thing> r = declare<Thing>(
      resource_info("things", "thing", {"Things", "东西"}, {}).table("things"),
      {field_of(&Thing::id, id_field()),
       field_of(&Thing::name, text_field("name", {}).required().range(1, 10)),
       field_of(&Thing::minutes,
                integer_field("minutes", {}).group("targets").nullable().range(0, 600)),
       field_of(&Thing::active, switch_field("active", {}).create_only()),
       field_of(&Thing::tags, list_field("tags", {})),
       field_of(&Thing::rule, json_field("rule", {}).schema(R"({"type": "object"})", {})),
       unheld<Thing>(secret_field("password", {})),
       unheld<Thing>(choice_field("kind", {}, {"a", "b"})),
       field_of(&Thing::created_at, time_field("created_at"))});
  return r;
}

Error error_of(std::string_view body, bool creating) {
  auto read = read_body(things().info, json::parse(body), creating);
  EXPECT_FALSE(read) << body;
  return read ? Error{} : read.error();
}

TEST(ResourceBody, ErrorsNameTheField) {
  EXPECT_EQ(error_of(R"({"nope": 1, "name": "x"})", true).field, "nope");
  EXPECT_EQ(error_of(R"({"id": 3, "name": "x"})", true).field, "id");
  EXPECT_EQ(error_of(R"({"created_at": "x", "name": "x"})", true).field, "created_at");
  EXPECT_EQ(error_of(R"({})", true).field, "name");
  EXPECT_EQ(error_of(R"({"name": "   "})", true).field, "name");
  EXPECT_EQ(error_of(R"({"name": "12345678901"})", true).field, "name");
  EXPECT_EQ(error_of(R"({"name": 5})", true).field, "name");
  EXPECT_EQ(error_of(R"({"targets": {"minutes": 601}})", false).field, "targets.minutes");
  EXPECT_EQ(error_of(R"({"targets": {"hours": 1}})", false).field, "targets.hours");
  EXPECT_EQ(error_of(R"({"targets": 3})", false).field, "targets");
  EXPECT_EQ(error_of(R"({"active": false})", false).field, "active");
  EXPECT_EQ(error_of(R"({"tags": ["a", 1]})", false).field, "tags");
  EXPECT_EQ(error_of(R"({"tags": ["a", "  "]})", false).field, "tags");
  EXPECT_EQ(error_of(R"({"rule": []})", false).field, "rule");
  EXPECT_EQ(error_of(R"({"kind": "c"})", false).field, "kind");
  EXPECT_EQ(error_of(R"({"name": null})", false).field, "name");
  EXPECT_EQ(error_of(R"([1])", false).code, ErrorCode::kInvalidArgument);
}

TEST(ResourceBody, AListOfChoicesTakesEachChoiceOnceInAnyOrder) {
  auto info = things().info;
  for (auto& f : info.fields)
    if (f.key == "tags") f = list_field("tags", {}).choices({"number", "subject", "status"});
  auto read = read_body(info, json::parse(R"({"tags": ["status", "number"]})"), false);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->at("tags"), json::parse(R"(["status", "number"])"));
  for (const char* body : {R"({"tags": ["status", "colour"]})", R"({"tags": ["status", "status"]})",
                           R"({"tags": "status"})"}) {
    auto refused = read_body(info, json::parse(body), false);
    ASSERT_FALSE(refused) << body;
    EXPECT_EQ(refused.error().field, "tags") << body;
  }
  EXPECT_NE(read_body(info, json::parse(R"({"tags": ["colour"]})"), false)
                .error()
                .message.find("number, subject, status"),
            std::string::npos);
}

TEST(ResourceBody, CleansAndFlattens) {
  auto read =
      read_body(things().info, json::parse(R"({"name": " a\u0007b ", "targets": {"minutes": null},
                                        "tags": [" x "], "active": false})"),
                true);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->at("name"), "ab");
  EXPECT_TRUE(read->at("minutes").is_null());
  EXPECT_EQ(read->at("tags"), json::parse(R"(["x"])"));
  EXPECT_EQ(read->at("active"), false);
  EXPECT_FALSE(read->contains("rule"));  // not given: the item's default stays
}

TEST(ResourceBody, AWholeBodyCanBeOneField) {
  auto info = things().info;
  info.body_field = "rule";
  auto read = read_body(info, json::parse(R"({"any": ["thing"]})"), false);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->at("rule"), json::parse(R"({"any": ["thing"]})"));
}

TEST(ResourceBody, AGeneratedSecretIsRotatedOnlyByAChange) {
  auto info = things().info;
  for (auto& f : info.fields)
    if (f.key == "password") f.generated = true;
  auto rotate = read_body(info, json::parse(R"({"rotate_password": true})"), false);
  ASSERT_TRUE(rotate) << rotate.error().message;
  EXPECT_EQ(rotate->at("rotate_password"), true);
  auto keep = read_body(info, json::parse(R"({"rotate_password": false})"), false);
  ASSERT_TRUE(keep);
  EXPECT_TRUE(keep->empty());
  auto refused = [&](std::string_view body, bool creating) {
    auto read = read_body(info, json::parse(body), creating);
    EXPECT_FALSE(read) << body;
    return read ? std::string() : read.error().field;
  };
  EXPECT_EQ(refused(R"({"name": "x", "rotate_password": true})", true), "rotate_password");
  EXPECT_EQ(refused(R"({"password": "p", "rotate_password": true})", false), "rotate_password");
  EXPECT_EQ(refused(R"({"rotate_password": "yes"})", false), "rotate_password");
  // Only a generated secret is rotated.
  EXPECT_EQ(error_of(R"({"rotate_password": true})", false).field, "rotate_password");
}

TEST(ResourceDescribe, HidesSecretsAndGroupsFields) {
  Values v{{"id", 4}, {"name", "n"}, {"minutes", 30}, {"password", "pw"}, {"created_at", 86400000}};
  auto out = describe(things().info, v);
  EXPECT_FALSE(out.contains("password"));
  EXPECT_EQ(out.at("has_password"), true);
  EXPECT_EQ(out.at("targets").at("minutes"), 30);
  EXPECT_EQ(out.at("created_at"), "1970-01-02T00:00:00.000Z");
}

TEST(ResourceTyped, ValuesRoundTripThroughTheDomainType) {
  Thing t;
  t.id = 9;
  t.name = "x";
  t.minutes = 5;
  t.tags = {"a", "b"};
  auto values = things().values(t);
  auto back = things().make(values);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, 9);
  EXPECT_EQ(back->minutes, 5);
  EXPECT_EQ(back->tags, t.tags);
  values["minutes"] = nullptr;
  EXPECT_FALSE(things().make(values)->minutes.has_value());
}

TEST(ResourceFields, OneLineIsTheSpecWrittenOut) {
  const FieldSpec key = text_field("key", {"Key", "键"}, {"Letters.", "字母。"})
                            .required()
                            .create_only()
                            .range(1, 64)
                            .unique();
  EXPECT_EQ(key, (FieldSpec{.key = "key",
                            .label = {"Key", "键"},
                            .help = {"Letters.", "字母。"},
                            .required = true,
                            .create_only = true,
                            .min = 1,
                            .max = 64,
                            .unique = true}));
  const FieldSpec calendar = reference_field("calendar", "calendars", {"Calendar", "日历"})
                                 .column("calendar_id")
                                 .nullable();
  EXPECT_EQ(calendar, (FieldSpec{.key = "calendar",
                                 .kind = FieldKind::kReference,
                                 .label = {"Calendar", "日历"},
                                 .column = "calendar_id",
                                 .nullable = true,
                                 .references = "calendars"}));
  const FieldSpec sort = choice_field("sort", {"Order", "排序"}, {"a", "-a"}, {"By.", "按。"});
  EXPECT_EQ(sort, (FieldSpec{.key = "sort",
                             .kind = FieldKind::kChoice,
                             .label = {"Order", "排序"},
                             .help = {"By.", "按。"},
                             .choices = {"a", "-a"}}));
  const FieldSpec rule = json_field("rule", {"Rule", "规则"}).schema("{}", "[]");
  EXPECT_EQ(rule.kind, FieldKind::kJson);
  EXPECT_EQ(rule.schema, "{}");
  EXPECT_EQ(rule.example, "[]");
  const FieldSpec secret = secret_field("password", {"Password", "密码"}).shown_as("has_it");
  EXPECT_EQ(secret.kind, FieldKind::kSecret);
  EXPECT_EQ(secret.shown_as, "has_it");
  EXPECT_EQ(long_text_field("notes", {}).built().kind, FieldKind::kLongText);
  EXPECT_EQ(list_field("domains", {}).separator(' ').built().separator, ' ');
  EXPECT_TRUE(secret_field("s", {}).sealed().generated().built().generated);
  EXPECT_TRUE(time_field("seen_at").hidden().built().hidden);
  // Each step is a changed copy: a shared start stays as it was.
  const auto base = text_field("name", {"Name", "名称"});
  const FieldSpec required = base.required();
  EXPECT_TRUE(required.required);
  EXPECT_FALSE(base.built().required);
}

TEST(ResourceInfo, OneLineIsTheInfoWrittenOut) {
  const ResourceInfo info = resource_info("views", "view", {"Views", "视图"}, "views")
                                .table("saved_views")
                                .order_by("position, id")
                                .read_by(Audience::kSignedIn)
                                .written_by(Audience::kAgents)
                                .personal()
                                .invalidates(Invalidates::kViewers)
                                .ops({.list = false, .remove = true})
                                .paged();
  EXPECT_EQ(info, (ResourceInfo{.name = "views",
                                .noun = "view",
                                .title = {"Views", "视图"},
                                .tag = "views",
                                .table = "saved_views",
                                .order_by = "position, id",
                                .read = Audience::kSignedIn,
                                .write = Audience::kAgents,
                                .ownership = Ownership::kPersonal,
                                .invalidates = Invalidates::kViewers,
                                .ops = {.list = false, .remove = true},
                                .paged = true}));
  const ResourceInfo keyed = resource_info("mail_settings", "mail_settings", {}, "mail")
                                 .path("/api/v1/mail/settings")
                                 .body_field("spec")
                                 .keyed({.by = "departments", .column = "department_id"},
                                        "/api/v1/mail/settings/{department}");
  EXPECT_EQ(keyed.path, "/api/v1/mail/settings");
  EXPECT_EQ(keyed.body_field, "spec");
  EXPECT_TRUE(keyed.is_keyed());
  EXPECT_EQ(keyed.item_param(), "department");
}

TEST(ResourceFields, CommonOnesAreDeclaredAlike) {
  EXPECT_EQ(id_field().built().kind, FieldKind::kId);
  EXPECT_FALSE(time_field("updated_at").built().writable(true));
  const FieldSpec name = name_field(100);
  EXPECT_TRUE(name.required);
  EXPECT_EQ(name.max_bytes(), 100);
  EXPECT_EQ(position_field().built().default_json, "0");
  EXPECT_EQ(position_field({}, "100").built().default_json, "100");
  const FieldSpec unique = unique_name_field(100);
  EXPECT_TRUE(unique.required && unique.unique && unique.fold_case);
  EXPECT_EQ(unique.max_bytes(), 100);
  EXPECT_EQ(active_field().built().default_json, "true");
  EXPECT_EQ(active_field().built().kind, FieldKind::kBoolean);
  EXPECT_EQ(switch_field("trusted", {"Trusted", "受信任"}).built().kind, FieldKind::kBoolean);
  const FieldSpec department = department_field({"None: all.", "不选：全部。"});
  EXPECT_EQ(department.references, "departments");
  EXPECT_EQ(department.stored_in(), "department_id");
  EXPECT_TRUE(department.nullable);
  ResourceInfo info{.name = "things", .fields = {name_field(), position_field()}};
  auto read = read_body(info, json::parse(R"({"name": " n ", "position": 100001})"), true);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().field, "position");
}

TEST(ResourceFields, AFieldWithItsOwnSyntaxIsCheckedAsItIsSet) {
  auto even = field_of(&Thing::minutes, {.key = "minutes", .kind = FieldKind::kInteger},
                       [](Thing& t) -> Result<void> {
                         if (t.minutes && *t.minutes % 2)
                           return fail(ErrorCode::kInvalidArgument, "must be even");
                         return {};
                       });
  Thing t;
  EXPECT_TRUE(even.access.set(t, json::value(4)));
  EXPECT_EQ(t.minutes, 4);
  EXPECT_FALSE(even.access.set(t, json::value(3)));
  EXPECT_EQ(even.access.get(t), json::value(3));
}

TEST(ResourceFields, AKindLeftOutIsTheMembersType) {
  EXPECT_EQ(field_of(&Thing::active, {.key = "active"}).spec.kind, FieldKind::kBoolean);
  EXPECT_EQ(field_of(&Thing::minutes, {.key = "minutes"}).spec.kind, FieldKind::kInteger);
  EXPECT_EQ(field_of(&Thing::tags, {.key = "tags"}).spec.kind, FieldKind::kTextList);
  EXPECT_EQ(field_of(&Thing::rule, {.key = "rule"}).spec.kind, FieldKind::kJson);
  EXPECT_EQ(field_of(&Thing::name, {.key = "name"}).spec.kind, FieldKind::kText);
  EXPECT_EQ(field_of(&Thing::created_at, time_field("created_at")).spec.kind, FieldKind::kTime);
}

TEST(ResourceInfo, PathAndTableDefaultToTheName) {
  EXPECT_EQ(things().info.path, "/api/v1/things");
  EXPECT_EQ(things().info.item_route(), "/api/v1/things/{id}");
  auto own = declare<Thing>({.name = "things", .path = "/api/v1/stuff", .table = "stuff"}, {});
  EXPECT_EQ(own.info.path, "/api/v1/stuff");
  EXPECT_EQ(own.info.table, "stuff");
  auto plain = declare<Thing>({.name = "things"}, {});
  EXPECT_EQ(plain.info.table, "things");
}

TEST(ResourceInfo, NotFoundSaysTheNounInWords) {
  ResourceInfo info{.name = "mail-templates", .noun = "mail_template"};
  EXPECT_EQ(info.not_found().code, ErrorCode::kNotFound);
  EXPECT_EQ(info.not_found().message, "no such mail template");
}

}  // namespace
}  // namespace gongdan
