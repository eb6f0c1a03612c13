#include "api/answer_shape.hpp"

#include <gtest/gtest.h>

namespace gongdan::api {
namespace {

namespace json = boost::json;

struct Thing {
  std::int64_t id = 0;
  std::string name;
  bool active = false;
  std::optional<std::int64_t> owner_id;
  Millis created_at = 0;
  std::optional<Millis> closed_at;
  int state = 0;
};

using namespace shape;

const AnswerShape<Thing> kThingShape{
    integer("id", &Thing::id),
    text("name", &Thing::name).describe("What people call it."),
    boolean("active", &Thing::active),
    integer("owner_id", &Thing::owner_id),
    instant("created_at", &Thing::created_at),
    instant("closed_at", &Thing::closed_at),
    computed<Thing>(
        "state", [](const Thing& t) { return t.state == 0 ? "open" : "closed"; },
        schema::enum_of({"open", "closed"}))};

TEST(AnswerShape, WritesEveryMemberInOrder) {
  Thing t{7, "printer", true, std::nullopt, 0, 86'400'000, 1};
  EXPECT_EQ(json::serialize(kThingShape.write(t)),
            R"({"id":7,"name":"printer","active":true,"owner_id":null,)"
            R"("created_at":"1970-01-01T00:00:00.000Z","closed_at":"1970-01-02T00:00:00.000Z",)"
            R"("state":"closed"})");
  t.owner_id = 3;
  t.closed_at.reset();
  const auto answer = kThingShape(t);
  EXPECT_EQ(answer.at("owner_id"), json::value(3));
  EXPECT_TRUE(answer.at("closed_at").is_null());
}

TEST(AnswerShape, ItsSchemaListsTheSameMembersAllRequired) {
  EXPECT_EQ(json::serialize(kThingShape.schema().value()),
            R"({"type":"object","properties":{"id":{"type":"integer"},)"
            R"("name":{"type":"string","description":"What people call it."},)"
            R"("active":{"type":"boolean"},"owner_id":{"type":["integer","null"]},)"
            R"("created_at":{"type":"string","format":"date-time"},)"
            R"("closed_at":{"type":["string","null"],"format":"date-time"},)"
            R"("state":{"type":"string","enum":["open","closed"]}},)"
            R"("additionalProperties":false,)"
            R"("required":["id","name","active","owner_id","created_at","closed_at","state"]})");
  // The writer's keys are the schema's properties, whatever the values.
  std::vector<std::string> written;
  for (const auto& entry : kThingShape.write(Thing{})) written.emplace_back(entry.key());
  EXPECT_EQ(written, kThingShape.schema().property_names());
}

TEST(AnswerShape, IsTheSameAsTheObjectSchemaWrittenByHand) {
  using namespace schema;
  const auto by_hand = object({{"id", integer()},
                               {"name", string().describe("What people call it.")},
                               {"active", boolean()},
                               {"owner_id", nullable(integer())},
                               {"created_at", date_time()},
                               {"closed_at", nullable(date_time())},
                               {"state", enum_of({"open", "closed"})}})
                           .require_all();
  EXPECT_EQ(kThingShape.schema().value(), by_hand.value());
}

// Answers inside answers: one part, an optional part, a list of parts.
struct Part {
  std::string name;
};
struct Machine {
  Part main;
  std::optional<Part> spare;
  std::vector<Part> parts;
};

const AnswerShape<Part> kPartShape{text("name", &Part::name)};
const AnswerShape<Machine> kMachineShape{nested("main", &Machine::main, kPartShape),
                                         nested("spare", &Machine::spare, kPartShape),
                                         list_of("parts", &Machine::parts, kPartShape)};

TEST(AnswerShape, NestsOtherShapesTheirSchemasIncluded) {
  Machine m{{"belt"}, std::nullopt, {{"gear"}, {"axle"}}};
  EXPECT_EQ(json::serialize(kMachineShape.write(m)),
            R"({"main":{"name":"belt"},"spare":null,"parts":[{"name":"gear"},{"name":"axle"}]})");
  m.spare = Part{"fan"};
  EXPECT_EQ(kMachineShape.write(m).at("spare"), (json::object{{"name", "fan"}}));
  using namespace schema;
  const auto part = object({{"name", string()}}).require_all();
  EXPECT_EQ(kMachineShape.schema().value(),
            object({{"main", part}, {"spare", nullable(part)}, {"parts", array_of(part)}})
                .require_all()
                .value());
}

}  // namespace
}  // namespace gongdan::api
