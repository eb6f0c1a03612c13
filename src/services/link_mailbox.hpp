// The mailbox that the links people are mailed (sign-in links, sign-up confirmations) leave by.
#pragma once

#include <cstdint>
#include <string_view>

#include "services/store_fwd.hpp"
#include "util/result.hpp"

namespace gongdan::services {

// Its id, inside `c`; kUnavailable ("`what`: no mailbox has an SMTP server") when mail out is
// not set up.
Result<std::int64_t> link_mailbox(store::Connection& c, std::string_view what);

}  // namespace gongdan::services
