#include "domain/department.hpp"

#include <gtest/gtest.h>

namespace gongdan {
namespace {

TEST(OrganizationDomain, KeepsADomainTrimmedAndLowerCase) {
  EXPECT_EQ(organization_domain("  Example.COM "), std::optional<std::string>("example.com"));
  EXPECT_EQ(organization_domain("mail-1.example.cn"),
            std::optional<std::string>("mail-1.example.cn"));
}

TEST(OrganizationDomain, RefusesWhatIsNotADomainName) {
  EXPECT_FALSE(organization_domain(""));
  EXPECT_FALSE(organization_domain("localhost"));
  EXPECT_FALSE(organization_domain("a@example.com"));
  EXPECT_FALSE(organization_domain("例子.中国"));
  EXPECT_FALSE(organization_domain(std::string(250, 'a') + ".com"));
}

}  // namespace
}  // namespace gongdan
