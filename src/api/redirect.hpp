// A redirect answer, as the top-level navigations answer: the help centre's pages and the
// sign-in providers' browser side.
#pragma once

#include <string>

#include "api/request.hpp"

namespace gongdan::api {

// `status` (301, 302, 303) to `location`, never cached.
Response redirect(unsigned status, std::string location);

}  // namespace gongdan::api
