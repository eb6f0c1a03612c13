// How gongdan's log lines look: text for people (the default), or one JSON object per line for
// a log collector. Both carry the request id of the thread's scope (util/request_id.hpp).
#pragma once

#include <string>

namespace gongdan::cli {

// level: trace … error; format: "text" or "json" (checked by load_config).
void configure_logging(const std::string& level, const std::string& format = "text");
// An operator's command (migrate, user, keys, backup …), whose output is what it prints: its
// log shows warnings and errors, unless the configuration asks for more than info.
void configure_command_logging(const std::string& configured_level);

}  // namespace gongdan::cli
