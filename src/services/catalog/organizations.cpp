// Organizations: the companies customers belong to. New contacts whose mail domain one lists
// join it; with shared tickets, its members see each other's tickets.
#include <algorithm>

#include "services/catalog/catalog_resources.hpp"
#include "store/database.hpp"

namespace gongdan::services {
namespace {

Result<std::vector<std::string>> clean_domains(const std::vector<std::string>& raw) {
  std::vector<std::string> out;
  for (const auto& d : raw) {
    auto domain = organization_domain(d);
    if (!domain) return fail(ErrorCode::kInvalidArgument, "not a domain name: " + d, "domains");
    out.push_back(std::move(*domain));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

const Resource<Organization>& organization_resource() {
  static const Resource<Organization> r = declare<Organization>(
      resource_info("organizations", "organization", {"Organizations", "组织"}, "organizations")
          .invalidates(Invalidates::kViewers)
          .paged(),
      {field_of(&Organization::id, id_field()), field_of(&Organization::name, unique_name_field()),
       field_of(&Organization::domains,
                list_field("domains", {"Mail domains", "邮件域名"},
                           {"New contacts from these domains join the organization.",
                            "来自这些域名的新联系人自动加入该组织。"})
                    .separator(' ')),
       field_of(&Organization::shared_tickets,
                switch_field("shared_tickets",
                             {"Members see each other's tickets", "成员可查看彼此的工单"})),
       field_of(&Organization::tier, text_field("tier", {"Tier", "等级"}).max(64)),
       field_of(&Organization::notes, long_text_field("notes", {"Notes", "备注"}).max(10000)),
       field_of(&Organization::created_at, time_field("created_at")),
       field_of(&Organization::updated_at, time_field("updated_at"))});
  return r;
}

void add_organizations(Resources& resources) {
  auto check = [](Organization& o) -> Result<void> {
    GONGDAN_ASSIGN(o.domains, clean_domains(o.domains));
    return {};
  };
  resources.add(organization_resource(), {.check = item_check<Organization>(check)});
}

}  // namespace gongdan::services
