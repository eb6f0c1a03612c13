#include "cli/systemd_notify.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace gongdan::cli {

bool notify_systemd(std::string_view state) {
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (!path || !*path) return false;
  const std::size_t length = std::strlen(path);
  sockaddr_un address{};
  // An absolute path, or '@' for a name in the abstract namespace (a leading NUL byte).
  if ((path[0] != '/' && path[0] != '@') || length >= sizeof(address.sun_path)) {
    spdlog::warn("NOTIFY_SOCKET is not a socket path: {}", path);
    return false;
  }
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path, length);
  if (path[0] == '@') address.sun_path[0] = '\0';
  const auto size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length);
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const auto sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                             reinterpret_cast<const sockaddr*>(&address), size);
  const int error = errno;
  ::close(fd);
  if (sent != static_cast<ssize_t>(state.size())) {
    spdlog::warn("cannot notify systemd through {}: {}", path, std::strerror(error));
    return false;
  }
  return true;
}

}  // namespace gongdan::cli
