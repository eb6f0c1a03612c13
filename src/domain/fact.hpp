// Facts: a ticket (and the change being made to it) seen as a flat map from field name to value,
// so that rules and templates need no knowledge of the ticket's classes. Services build the map;
// names are dotted paths: "status", "priority", "tags", "requester.email", "ticket.number",
// "custom_fields.<key>", "message.body", "within_business_hours", ... (see rule.hpp for the list
// rules may name). A missing key means the ticket has no such value.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gongdan {

using FactList = std::vector<std::string>;
using FactValue = std::variant<std::string, std::int64_t, bool, FactList>;
// Ordered, with heterogeneous lookup by string_view.
using FactMap = std::map<std::string, FactValue, std::less<>>;

// A fact as text: integers in decimal, booleans as true/false, lists joined with ", ".
std::string fact_to_string(const FactValue& value);

// The fact named `name`, or nullptr.
inline const FactValue* find_fact(const FactMap& facts, std::string_view name) {
  auto it = facts.find(name);
  return it == facts.end() ? nullptr : &it->second;
}

}  // namespace gongdan
