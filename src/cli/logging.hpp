// How gongdan's log lines look: text for people (the default), or one JSON object per line for
// a log collector. Both carry the request id of the thread's scope (util/request_id.hpp).
#pragma once

#include <string>

namespace gongdan::cli {

// level: trace … error; format: "text" or "json" (checked by load_config).
void configure_logging(const std::string& level, const std::string& format = "text");

}  // namespace gongdan::cli
