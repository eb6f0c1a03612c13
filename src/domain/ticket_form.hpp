// Ticket forms (the custom fields a department's new tickets ask for) and saved views (a named
// ticket filter and order, an agent's own or shared).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/clock.hpp"

namespace gongdan {

struct TicketForm {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::int64_t> department_id;         // none: every department
  boost::json::value fields = boost::json::array{};  // [{"key": "...", "required": true}]
  bool active = true;
};

struct View {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::int64_t> owner_id;  // none: shared with every agent
  boost::json::value filters = boost::json::object{};
  std::string sort = "-updated_at";
  // The inbox's columns in order, each once (kViewColumns); empty: the inbox's default.
  std::vector<std::string> columns;
  int position = 0;
  Millis created_at = 0;
};

}  // namespace gongdan
