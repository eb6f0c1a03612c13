#include "api/redirect.hpp"

namespace gongdan::api {

Response redirect(unsigned status, std::string location) {
  Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.set_header("Location", std::move(location));
  r.set_header("Cache-Control", "no-store");
  return r;
}

}  // namespace gongdan::api
