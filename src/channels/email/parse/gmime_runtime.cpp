#include "channels/email/parse/gmime_runtime.hpp"

#include <gmime/gmime.h>

#include <mutex>

namespace gongdan::email {

void ensure_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

}  // namespace gongdan::email
