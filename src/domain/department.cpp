#include "domain/department.hpp"

#include "util/text.hpp"

namespace gongdan {

std::optional<std::string> organization_domain(std::string_view raw) {
  auto domain = text::to_lower_ascii(text::trim(raw));
  bool ok = !domain.empty() && domain.size() <= 253 && domain.find('.') != std::string::npos;
  for (char ch : domain)
    ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.');
  if (!ok) return std::nullopt;
  return domain;
}

}  // namespace gongdan
