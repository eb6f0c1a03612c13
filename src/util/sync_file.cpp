#include "util/sync_file.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace gongdan {

Result<void> sync_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    return fail(ErrorCode::kInternal, "cannot sync " + path.string());
  }
  ::close(fd);
  return {};
}

}  // namespace gongdan
