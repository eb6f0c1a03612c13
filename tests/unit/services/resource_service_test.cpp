// Keyed settings (ResourceInfo::keyed) through the one service path, on a real SQLite database:
// one item per item of another resource, read as the defaults until saved, stored by a PUT
// whether or not it was before, audited as a change of the item it belongs to.
#include <gtest/gtest.h>

#include <filesystem>

#include "migrated_database.hpp"
#include "services/resource_load.hpp"
#include "services/resource_service.hpp"
#include "store/audit_store.hpp"

namespace gongdan::services {
namespace {

namespace json = boost::json;

constexpr Millis kStart = 1795879845000;

struct Room {
  std::int64_t id = 0;
  std::string name;
};

// A room's settings: a level and a note.
struct RoomSettings {
  std::int64_t room_id = 0;
  std::int64_t level = 3;
  std::string note;
  std::optional<Millis> updated_at;
};

const Resource<Room>& rooms() {
  static const Resource<Room> r =
      declare<Room>({.name = "rooms", .noun = "room", .title = {"Rooms", "房间"}, .table = "rooms"},
                    {field_of(&Room::id, {.key = "id", .kind = FieldKind::kId}),
                     field_of(&Room::name, {.key = "name", .required = true, .min = 1})});
  return r;
}

Resource<RoomSettings> room_settings(Operations ops, std::string_view defaults) {
  return declare<RoomSettings>(
      {.name = "room_settings",
       .noun = "settings",
       .title = {"Room settings", "房间设置"},
       .path = "/api/v1/rooms/settings",
       .table = "room_settings",
       .order_by = "room_id",
       .write = Audience::kAdmins,
       .ops = ops,
       .item_path = "/api/v1/rooms/settings/{room}",
       .keyed = {.by = "rooms", .column = "room_id", .defaults = defaults}},
      {field_of(&RoomSettings::room_id, {.key = "room", .kind = FieldKind::kId}),
       field_of(
           &RoomSettings::level,
           {.key = "level", .kind = FieldKind::kInteger, .required = true, .min = 1, .max = 9}),
       field_of(&RoomSettings::note, {.key = "note"}),
       field_of(&RoomSettings::updated_at,
                {.key = "updated_at", .kind = FieldKind::kTime, .nullable = true})});
}

class KeyedResourceTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(db_->write([](store::Connection& c) -> Result<void> {
      GONGDAN_TRY(c.exec("CREATE TABLE rooms (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"));
      GONGDAN_TRY(c.exec("INSERT INTO rooms (id, name) VALUES (7, 'seven'), (8, 'eight')"));
      return c.exec(
          "CREATE TABLE room_settings (room_id INTEGER PRIMARY KEY, level INTEGER NOT NULL, "
          "note TEXT NOT NULL, updated_at INTEGER NOT NULL, kept TEXT NOT NULL DEFAULT 'x')");
    }));
    resources_ = std::make_unique<Resources>(ResourceDeps{db_.get(), &clock_, nullptr, nullptr});
    resources_->add(rooms());
  }
  ResourceService& add(const Resource<RoomSettings>& r) { return resources_->add(r); }

  std::vector<AuditEntry> audit() {
    return *store::read_value(*db_,
                              [](store::Connection& c) { return store::list_audit(c, 0, 10); });
  }

  ManualClock clock_{kStart};
  std::unique_ptr<Resources> resources_;
  Principal admin_ = Principal::system();
};

TEST_F(KeyedResourceTest, NeverSavedSettingsAreTheDefaultsOfAnItemThatExists) {
  const auto r = room_settings({.create = false}, "default");
  auto& settings = add(r);
  auto got = settings.get(admin_, 7);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(*got, json::parse(R"({"room": 7, "level": 3, "note": "", "updated_at": null})"));
  // Id 0 is the defaults, shown by their name.
  EXPECT_EQ(settings.get(admin_, 0)->at("room"), "default");
  auto missing = settings.get(admin_, 9);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, "no such room");
  EXPECT_EQ(settings.not_found().message, "no such room");
  // Nothing was stored by reading.
  EXPECT_TRUE(settings.list(admin_, 0, 0)->items.empty());
}

TEST_F(KeyedResourceTest, APutStoresTheItemAndLaterOnesChangeOnlyWhatTheyGive) {
  const auto r = room_settings({.create = false}, "default");
  auto& settings = add(r);
  auto saved = settings.update(admin_, 8, json::parse(R"({"note": "fragile"})"));
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->at("note"), "fragile");
  EXPECT_EQ(saved->at("level"), 3);
  EXPECT_TRUE(saved->at("updated_at").is_string());
  clock_.advance(1000);
  saved = settings.update(admin_, 8, json::parse(R"({"level": 5})"));
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->at("note"), "fragile");
  EXPECT_EQ(saved->at("level"), 5);
  ASSERT_TRUE(settings.update(admin_, 0, json::parse(R"({"level": 1})")));
  auto listed = settings.list(admin_, 0, 0);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->items.size(), 2u);
  EXPECT_EQ(listed->items[0].at("room"), "default");
  EXPECT_EQ(listed->items[1].at("room"), 8);
  // Engine code reads them typed; columns the declaration does not name are left alone.
  auto typed = *store::read_value(*db_, [&](store::Connection& c) { return load_one(c, r, 8); });
  ASSERT_TRUE(typed);
  EXPECT_EQ(typed->room_id, 8);
  EXPECT_EQ(typed->updated_at, kStart + 1000);
  // A change of a room's settings is audited as a change of the room.
  auto entries = audit();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].action, "room.settings");
  EXPECT_EQ(entries[0].target, "room:0");
  EXPECT_EQ(entries[1].target, "room:8");
  EXPECT_EQ(settings.update(admin_, 9, json::parse("{}")).error().code, ErrorCode::kNotFound);
}

TEST_F(KeyedResourceTest, AWholeItemPutNeedsTheRequiredFieldsAndResetsTheOthers) {
  const auto r = room_settings({.list = false, .create = false, .put = true}, "");
  auto& settings = add(r);
  auto refused = settings.update(admin_, 7, json::parse(R"({"note": "n"})"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "level");
  ASSERT_TRUE(settings.update(admin_, 7, json::parse(R"({"level": 4, "note": "n"})")));
  auto again = settings.update(admin_, 7, json::parse(R"({"level": 6})"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->at("note"), "");  // left out: back to its default
  // Without a name for id 0 there are no defaults to read or set.
  EXPECT_EQ(settings.get(admin_, 0).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(settings.get(admin_, 7)->at("room"), 7);
}

TEST_F(KeyedResourceTest, OnlyTheWritersAudienceSavesThem) {
  const auto r = room_settings({.create = false}, "default");
  auto& settings = add(r);
  Principal agent;
  agent.user.id = 5;
  agent.user.role = Role::kAgent;
  ASSERT_TRUE(settings.get(agent, 7));
  auto refused = settings.update(agent, 7, json::parse(R"({"level": 2})"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(audit().empty());
}

}  // namespace
}  // namespace gongdan::services
