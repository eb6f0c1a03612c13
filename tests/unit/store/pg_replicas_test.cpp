#include "store/postgres/pg_replicas.hpp"

#include <gtest/gtest.h>

#include "util/read_route.hpp"

namespace gongdan::store {
namespace {

TEST(PgReplicas, ParsesLsnsAsPostgresPrintsThem) {
  EXPECT_EQ(parse_lsn("0/0"), 0u);
  EXPECT_EQ(parse_lsn("16/B374D848"), 0x16B374D848u);
  EXPECT_EQ(parse_lsn("FFFFFFFF/FFFFFFFF"), 0xFFFFFFFFFFFFFFFFu);
  // Ordered as positions in the WAL, not as text.
  EXPECT_LT(*parse_lsn("0/9"), *parse_lsn("0/10"));
  EXPECT_LT(*parse_lsn("0/FFFFFFFF"), *parse_lsn("1/0"));
}

TEST(PgReplicas, RefusesWhatIsNotAnLsn) {
  for (std::string_view bad : {"", "/", "1/", "/1", "12", "1/2/3", "g/1", "1/ 2", "100000000/0"})
    EXPECT_FALSE(parse_lsn(bad)) << bad;
}

TEST(ReadRoute, ScopesNestAndEnd) {
  EXPECT_EQ(current_read_route(), nullptr);
  {
    ReadRouteScope outer({"u1", true});
    ASSERT_NE(current_read_route(), nullptr);
    EXPECT_EQ(current_read_route()->principal, "u1");
    {
      ReadRouteScope inner({"u2", false});
      EXPECT_EQ(current_read_route()->principal, "u2");
      EXPECT_FALSE(current_read_route()->replica_ok);
    }
    EXPECT_EQ(current_read_route()->principal, "u1");
  }
  EXPECT_EQ(current_read_route(), nullptr);
}

TEST(PgReplicas, WithoutReplicasNothingIsServed) {
  PgReplicas none({}, 4);
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(none.read("u1", [](Connection&) -> Result<void> { return {}; }));
  EXPECT_EQ(none.reads_served(), 0);
}

TEST(PgReplicas, AnUnreachableReplicaHandsTheReadBack) {
  // Port 1 on 127.0.0.1: nothing listens, the connection is refused at once.
  PgReplicas replicas({"postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"}, 4);
  bool ran = false;
  auto served = replicas.read("u1", [&](Connection&) -> Result<void> {
    ran = true;
    return {};
  });
  EXPECT_FALSE(served);
  EXPECT_FALSE(ran);
  // Left alone for a while: the next read does not even try.
  EXPECT_FALSE(replicas.read("", [&](Connection&) -> Result<void> { return {}; }));
  EXPECT_EQ(replicas.reads_served(), 0);
}

}  // namespace
}  // namespace gongdan::store
