// A macro: a named set of actions (rule actions, domain/rule.hpp) plus a reply or note text (a
// template) an agent applies to a ticket in one step. Personal (its owner's) or shared.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "util/clock.hpp"

namespace gongdan {

struct Macro {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::int64_t> owner_id;  // none: shared with every agent
  boost::json::value actions = boost::json::array{};
  std::string reply;  // a template; empty: no message
  bool reply_internal = false;
  Millis created_at = 0;
  Millis updated_at = 0;
};

}  // namespace gongdan
