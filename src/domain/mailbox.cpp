#include "domain/mailbox.hpp"

namespace gongdan {

const Mailbox* sending_mailbox(std::span<const Mailbox> mailboxes,
                               std::optional<std::int64_t> department_id) {
  const Mailbox* fallback = nullptr;
  for (const auto& m : mailboxes) {
    if (m.smtp_host.empty()) continue;
    if (department_id && m.department_id == department_id) return &m;
    if (!m.department_id && !fallback) fallback = &m;
  }
  return fallback;
}

bool is_plain_name(std::string_view s, std::string_view extra) {
  if (s.empty() || s.size() > 255) return false;
  for (unsigned char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_' || extra.find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

}  // namespace gongdan
