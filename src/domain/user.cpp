#include "domain/user.hpp"

#include "util/enum_names.hpp"
#include "util/text.hpp"

namespace gongdan {

namespace {

constexpr Named<Role> kRoles[] = {{Role::kAdmin, "admin"},
                                  {Role::kSupervisor, "supervisor"},
                                  {Role::kAgent, "agent"},
                                  {Role::kLightAgent, "light_agent"},
                                  {Role::kCustomer, "customer"}};

}  // namespace

std::string_view role_name(Role role) { return name_in(kRoles, role, "customer"); }
std::optional<Role> parse_role(std::string_view name) { return value_in(kRoles, name); }

bool is_supported_locale(std::string_view locale) { return locale == "en" || locale == "zh-CN"; }

bool is_plausible_time_zone_name(std::string_view zone) {
  if (zone.empty() || zone.size() > 64 || zone.front() == '/' || zone.find("..") != zone.npos)
    return false;
  for (unsigned char c : zone) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '_' || c == '-' || c == '+';
    if (!ok) return false;
  }
  return true;
}

Result<void> validate_password(std::string_view password, std::string_view field) {
  std::size_t characters = 0;  // code points, so 8 Chinese characters are 8, not 24
  for (unsigned char c : password) characters += (c & 0xC0) != 0x80;
  if (characters < kMinPasswordLength)
    return fail(ErrorCode::kInvalidArgument, "password must be at least 8 characters",
                std::string(field));
  if (password.size() > kMaxPasswordLength)
    return fail(ErrorCode::kInvalidArgument, "password is too long", std::string(field));
  if (!text::is_valid_utf8(password))
    return fail(ErrorCode::kInvalidArgument, "password is not valid UTF-8", std::string(field));
  return {};
}

}  // namespace gongdan
