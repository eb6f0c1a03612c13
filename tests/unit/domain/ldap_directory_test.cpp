#include "domain/ldap_directory.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace gongdan {
namespace {

namespace json = boost::json;

TEST(LdapFilter, EscapesWhatWouldChangeTheFilter) {
  EXPECT_EQ(escape_filter_value("alice@example.org"), "alice@example.org");
  EXPECT_EQ(escape_filter_value("*"), "\\2a");
  EXPECT_EQ(escape_filter_value("a)(mail=*"), "a\\29\\28mail=\\2a");
  EXPECT_EQ(escape_filter_value(std::string("x\0y\\", 4)), "x\\00y\\5c");
  EXPECT_EQ(escape_filter_value("张三"), "张三");
}

TEST(LdapFilter, FillsEveryPlaceholder) {
  EXPECT_EQ(fill_filter("(|(mail={login})(uid={login}))", "login", "a*"),
            "(|(mail=a\\2a)(uid=a\\2a))");
  EXPECT_EQ(fill_filter("(member={dn})", "dn", "uid=a,dc=x"), "(member=uid=a,dc=x)");
  EXPECT_EQ(fill_filter("(objectClass=person)", "login", "x"), "(objectClass=person)");
}

TEST(LdapFilter, DnsCompareWithoutCaseOrSpacesAfterCommas) {
  EXPECT_EQ(normalize_dn("CN=Support, OU=Groups,DC=Example"), "cn=support,ou=groups,dc=example");
}

LdapDirectory with_mappings(std::string_view mappings) {
  LdapDirectory d;
  d.mappings = json::parse(mappings);
  return d;
}

TEST(LdapGroups, TheHighestRoleAndEveryDepartment) {
  auto d = with_mappings(R"([{"group": "cn=support,dc=x", "role": "agent", "departments": [2, 1]},
                             {"group": "CN=Leads,DC=X", "role": "supervisor", "departments": [2]},
                             {"group": "cn=portal,dc=x", "role": "customer"}])");
  auto account = map_groups(d, {"cn=leads,dc=x", "cn=support, dc=x", "cn=other,dc=x"});
  ASSERT_TRUE(account);
  EXPECT_EQ(account->role, Role::kSupervisor);
  EXPECT_EQ(account->departments, (std::vector<std::int64_t>{1, 2}));
  account = map_groups(d, {"cn=portal,dc=x"});
  ASSERT_TRUE(account);
  EXPECT_EQ(account->role, Role::kCustomer);
}

TEST(LdapGroups, NoMappedGroupFollowsThePolicy) {
  auto d = with_mappings(R"([{"group": "cn=support,dc=x", "role": "agent"}])");
  EXPECT_FALSE(map_groups(d, {"cn=other,dc=x"}));
  d.unmapped = UnmappedPolicy::kCustomer;
  auto account = map_groups(d, {});
  ASSERT_TRUE(account);
  EXPECT_EQ(account->role, Role::kCustomer);
}

TEST(LdapGroups, MappingsAreCheckedNamingTheEntry) {
  EXPECT_TRUE(check_mappings(json::parse(R"([{"group": "cn=a", "role": "admin"}])")));
  auto bad = check_mappings(json::parse(R"([{"group": "cn=a", "role": "admin"},
                                            {"group": "cn=b", "role": "root"}])"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "mappings[1].role");
  bad = check_mappings(json::parse(R"([{"group": "cn=a", "role": "agent", "departments": [0]}])"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "mappings[0].departments");
  bad = check_mappings(json::parse(R"([{"group": "cn=a", "role": "agent", "x": 1}])"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "mappings[0].x");
  EXPECT_FALSE(check_mappings(json::parse(R"({"group": "cn=a"})")));
}

}  // namespace
}  // namespace gongdan
