#include "domain/audit_entry.hpp"

namespace gongdan {
namespace {

void add_field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += '\n';
}

}  // namespace

std::string audit_link_text(const AuditEntry& e, std::string_view previous_hash) {
  std::string out = "gongdan audit v1\n";
  add_field(out, previous_hash);
  add_field(out, std::to_string(e.at));
  add_field(out, e.actor_id ? std::to_string(*e.actor_id) : std::string());
  add_field(out, e.action);
  add_field(out, e.target);
  add_field(out, e.ip);
  add_field(out, e.detail);
  return out;
}

}  // namespace gongdan
